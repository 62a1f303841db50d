'use strict';
// A TCP proxy on 127.0.0.1 between gazette and PostgreSQL, for tests of
// links that go wrong (issue 16's connections): a test points the site's
// db URL at proxy.port and then
//   proxy.freeze()   stops forwarding both ways, closing nothing (a
//                    half-open link: a cable pulled, a NAT that forgot
//                    the flow); new connections are accepted and held;
//                    freeze(port => bool): only the connections chosen
//   proxy.down()     closes every connection, and each new one at once
//                    (a database that is away)
//   proxy.up()       forwards again for new connections (frozen ones stay
//                    frozen: a fresh path)
// proxy.accepted counts the connections made to it since proxy.reset().
const net = require('node:net');

async function startProxy(targetPort, host = '127.0.0.1') {
  let mode = 'up';
  let accepted = 0;
  const pairs = new Set();
  const srv = net.createServer((client) => {
    accepted++;
    client.on('error', () => {});
    if (mode === 'down') { client.destroy(); return; }
    if (mode === 'frozen') { pairs.add({ client, server: null, frozen: true }); return; }
    const server = net.connect(targetPort, host);
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
    const pair = { client, server, frozen: false };
    pairs.add(pair);
    const pipe = (from, to) => from.on('data', (d) => { if (!pair.frozen) to.write(d); });
    pipe(client, server);
    pipe(server, client);
    client.on('close', () => { server.destroy(); pairs.delete(pair); });
    server.on('close', () => { if (!pair.frozen) client.destroy(); pairs.delete(pair); });
  });
  await new Promise((r) => srv.listen(0, host, r));
  return {
    port: srv.address().port,
    get accepted() { return accepted; },
    reset() { accepted = 0; },
    // which(localPort of the proxy's connection to PostgreSQL, as
    // pg_stat_activity's client_port shows it): only those
    freeze(which = null) {
      if (!which) mode = 'frozen';
      for (const p of pairs) if (!which || (p.server && which(p.server.localPort))) p.frozen = true;
    },
    down() {
      mode = 'down';
      for (const p of pairs) { p.frozen = true; p.client.destroy(); if (p.server) p.server.destroy(); }
      pairs.clear();
    },
    up() { mode = 'up'; },
    close() {
      for (const p of pairs) { p.client.destroy(); if (p.server) p.server.destroy(); }
      srv.close();
    },
  };
}

module.exports = { startProxy };
