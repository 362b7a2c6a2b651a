// Comes with the wasm (in its glue): the wasm's dialog takes the place of the loader's, with the
// focus, the selection and the scroll, and a submit made before the wasm arrived is carried out
// now, once. The caller runs this in a microtask queued after the mount (Leptos sets input values
// in one), so it still happens before the next frame: no frame shows between the two dialogs.
// `root` is the loader's root (or null), `dialog` the wasm's, `open` whether it shows.
/* exported swapIn */
function swapIn(root, dialog, open, submitted) {
  var before = root && root.firstElementChild;
  var active = dialog.getRootNode().activeElement;
  var position = before ? Array.prototype.indexOf.call(before.querySelectorAll('*'), active) : -1;
  var selection = active && typeof active.selectionStart === 'number' &&
    [active.selectionStart, active.selectionEnd, active.selectionDirection];
  var scroll = before ? before.scrollTop : 0;
  if (root) root.remove();
  if (open && !dialog.open) dialog.showModal();
  // The same element of the same markup, if it is there; else the page's first field.
  var target = position >= 0 && dialog.querySelectorAll('*')[position];
  if (!target || target.tagName !== active.tagName || target.id !== active.id) target = open && dialog.querySelector('[autofocus]');
  if (target) target.focus({ preventScroll: true });
  if (target && selection && target === dialog.querySelectorAll('*')[position]) target.setSelectionRange(selection[0], selection[1], selection[2]);
  dialog.scrollTop = scroll;
  var form = submitted && dialog.querySelector('form');
  if (form) form.requestSubmit();
}
