// A page with both controls and a button of its own that calls open(); `?closeAfterLogin`
// makes a login close the dialog.
netlifyIdentity.init({ closeAfterLogin: new URLSearchParams(location.search).has('closeAfterLogin') });
document.getElementById('page-button').addEventListener('click', function () { netlifyIdentity.open('login'); });
