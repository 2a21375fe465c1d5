// aedes 1.2.0 MQTT 3.1.1 broker for the MQTT fallback tests (test-peers.md §1c).
// Usage: node aedes-broker.mjs <port>. Prints "aedes listening on 127.0.0.1:<port>" when ready.
import { createServer } from 'node:net'
import { Aedes } from 'aedes'

const port = Number(process.argv[2] || 18860)
const aedes = await Aedes.createBroker()
aedes.on('client', c => console.log('client', c.id, 'protocolVersion', c.version))
aedes.on('connectionError', (c, e) => console.log('connectionError', e.message))
const server = createServer(aedes.handle)
server.listen(port, '127.0.0.1', () => console.log('aedes listening on 127.0.0.1:' + port))
process.on('SIGTERM', () => { server.close(); aedes.close(() => process.exit(0)) })
