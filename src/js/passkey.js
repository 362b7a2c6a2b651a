// Comes with the wasm (in its glue): the browser's part of a passkey ceremony, for
// src/browser/passkey.rs. The server's options go in as JSON and the credential comes back as
// JSON (the WebAuthn JSON methods, or the same by hand where a browser lacks them: Safari before
// 18.4, Firefox before 119); a ceremony that ends without one rejects with the DOMException's
// name. One at a time: a new one (a click during autofill) aborts the last.
/* exported passkeysUsable, passkeyAutofillUsable, passkeyCeremony, passkeyAbort */
var passkeyController;
function passkeysUsable() {
  return !!(self.PublicKeyCredential && navigator.credentials);
}
// Whether the browser offers passkeys in the email field's autofill (conditional mediation).
function passkeyAutofillUsable() {
  var PKC = self.PublicKeyCredential;
  return passkeysUsable() && PKC.isConditionalMediationAvailable ? PKC.isConditionalMediationAvailable() : Promise.resolve(false);
}
function fromBase64url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), function (c) { return c.charCodeAt(0); });
}
function toBase64url(buffer) {
  return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
// The options with their base64url members as bytes (what parse…OptionsFromJSON does).
function passkeyOptions(create, options) {
  var PKC = PublicKeyCredential;
  if (PKC.parseRequestOptionsFromJSON) return create ? PKC.parseCreationOptionsFromJSON(options) : PKC.parseRequestOptionsFromJSON(options);
  var withId = function (item) { return Object.assign({}, item, { id: fromBase64url(item.id) }); };
  return Object.assign({}, options, {
    challenge: fromBase64url(options.challenge),
    user: options.user && withId(options.user),
    excludeCredentials: (options.excludeCredentials || []).map(withId),
    allowCredentials: (options.allowCredentials || []).map(withId)
  });
}
// The credential as JSON (what its toJSON gives).
function passkeyJson(credential) {
  if (credential.toJSON) return credential.toJSON();
  var response = {};
  ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle'].forEach(function (name) {
    if (credential.response[name]) response[name] = toBase64url(credential.response[name]);
  });
  if (credential.response.getTransports) response.transports = credential.response.getTransports();
  return {
    id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type, response: response,
    authenticatorAttachment: credential.authenticatorAttachment, clientExtensionResults: credential.getClientExtensionResults()
  };
}
// `lastsMs` (if positive) ends it then, with "Renewed" (the RENEWED of passkey.rs).
function passkeyCeremony(create, optionsJson, autofill, lastsMs) {
  passkeyAbort();
  var controller = passkeyController = new AbortController();
  if (lastsMs > 0) setTimeout(function () { controller.abort('Renewed'); }, lastsMs);
  // Options the browser refuses (or cannot read) reject too, with their error's name.
  var ceremony = new Promise(function (resolve) {
    var options = JSON.parse(optionsJson);
    resolve(create
      ? navigator.credentials.create({ publicKey: passkeyOptions(true, options), signal: controller.signal })
      : navigator.credentials.get({ publicKey: passkeyOptions(false, options), mediation: autofill ? 'conditional' : 'optional', signal: controller.signal }));
  });
  return ceremony.then(function (credential) {
    if (passkeyController === controller) passkeyController = null;
    return JSON.stringify(passkeyJson(credential));
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
