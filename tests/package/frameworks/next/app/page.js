// A page rendered on the server (at build time here) with the widget's client component in it.
import Identity from './identity';

export default function Page() {
  return (<main><h1>A Next.js site</h1><Identity /></main>);
}
