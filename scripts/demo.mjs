// `npm start`: the demo page with the widget, a local GoTrue and the inbox, until Ctrl-C.
import { startStack } from './stack.mjs';

const port = Number(process.env.PORT || 8888);
const stack = await startStack({ port });
console.log(`
  Demo:        ${stack.url}/
  Inbox:       ${stack.url}/_inbox/   (JSON: ${stack.url}/_inbox/api/messages)
  GoTrue API:  ${stack.apiUrl}
  Operator token (admin API, e.g. POST ${stack.apiUrl}/invite): ${stack.operatorToken}
  Admin function: ${stack.url}/.netlify/functions/identity-admin   (build/functions/, as on Netlify)
  Make someone an administrator: npm run make-admin -- EMAIL   (the admin role; log in again)

  Press Ctrl-C to stop.`);
const stop = async () => { await stack.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
