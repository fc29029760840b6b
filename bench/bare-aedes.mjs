// The bench's reference: a bare aedes broker with no authentication, no validation and no storage, in its
// own plain-node process like the bundled gateway. Prints `listening <port>` once ready.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const aedes = await Aedes.createBroker();
const server = createServer(aedes.handle);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
const stop = () => server.close(() => aedes.close(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
