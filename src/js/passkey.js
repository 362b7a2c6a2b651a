// Comes with the wasm (in its glue): the browser's part of a passkey ceremony, for
// src/browser/passkey.rs. The server's options go in as JSON and the credential comes back as
// JSON (the WebAuthn JSON methods); a ceremony that ends without one rejects with the
// DOMException's name. One at a time: a new one (a click during autofill) aborts the last.
/* exported passkeysUsable, passkeyAutofillUsable, passkeyCeremony, passkeyAbort */
var passkeyController;
function passkeysUsable() {
  var PKC = self.PublicKeyCredential;
  return !!(PKC && PKC.parseRequestOptionsFromJSON && PKC.parseCreationOptionsFromJSON && PKC.prototype.toJSON);
}
// Whether the browser offers passkeys in the email field's autofill (conditional mediation).
function passkeyAutofillUsable() {
  var PKC = self.PublicKeyCredential;
  return passkeysUsable() && PKC.isConditionalMediationAvailable ? PKC.isConditionalMediationAvailable() : Promise.resolve(false);
}
// `lastsMs` (if positive) ends it then, with "Renewed" (the RENEWED of passkey.rs).
function passkeyCeremony(create, optionsJson, autofill, lastsMs) {
  passkeyAbort();
  var controller = passkeyController = new AbortController();
  if (lastsMs > 0) setTimeout(function () { controller.abort('Renewed'); }, lastsMs);
  var options = JSON.parse(optionsJson);
  var ceremony = create
    ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options), signal: controller.signal })
    : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options), mediation: autofill ? 'conditional' : 'optional', signal: controller.signal });
  return ceremony.then(function (credential) {
    if (passkeyController === controller) passkeyController = null;
    return JSON.stringify(credential.toJSON());
  }, function (error) {
    if (passkeyController === controller) passkeyController = null;
    // An abort with a reason rejects with the reason itself.
    throw String(typeof error === 'string' ? error : (error && error.name) || 'UnknownError');
  });
}
function passkeyAbort() {
  if (passkeyController) passkeyController.abort();
  passkeyController = null;
}
