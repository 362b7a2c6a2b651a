// A static export served under /next/ by the test's web server.
export default { output: 'export', basePath: '/next' };
