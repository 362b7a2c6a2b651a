// A static build served under /astro/ by the test's web server.
export default { base: '/astro' };
