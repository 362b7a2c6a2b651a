// Served by the test stack under /vite/, beside /.netlify/identity.
export default { base: '/vite/', logLevel: 'warn' };
