// `npm run make-admin -- EMAIL`: makes an existing user of the running local stack an
// administrator as a site owner does in Netlify's UI — the `admin` role in
// `app_metadata.roles` — through GoTrue's admin API with the operator token of the running
// demo (its state file). The user's next token carries it (log in again).
import { makeAdmin, readStackState } from './stack.mjs';

const email = process.argv[2];
if (!email) {
  console.error('usage: npm run make-admin -- EMAIL');
  process.exit(2);
}
const port = Number(process.env.PORT || 8888);
const state = readStackState(port);
if (!state) {
  console.error(`make-admin: no local stack is running on port ${port}; start it with npm start`);
  process.exit(1);
}
try {
  const user = await makeAdmin(state, email);
  console.log(`make-admin: ${user.email} now has the roles ${JSON.stringify(user.app_metadata.roles)}; log in again to manage users`);
} catch (error) {
  console.error(`make-admin: ${error.message}`);
  process.exit(1);
}
