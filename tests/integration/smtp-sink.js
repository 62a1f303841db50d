'use strict';
// A small SMTP sink for the mail tests (issue 17): EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT on 127.0.0.1, recording each message as
// {from, to: [...], data, headers: {lower-case name: unfolded value}, body}
// with the body's quoted-printable undone. refuse(true) makes it answer
// 451 to MAIL FROM; stop() closes it (the relay is down) and start(port)
// brings it back on the same port.
const net = require('node:net');

function parseMessage(data) {
  const split = data.indexOf('\r\n\r\n');
  const head = data.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const raw = data.slice(split + 4);
  const body = Buffer.from(raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g,
    (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  return { headers, body, raw };
}

class SmtpSink {
  constructor() { this.messages = []; this.refusing = false; this.server = null; this.port = 0; this.waiters = []; }

  start(port = 0) {
    this.server = net.createServer((sock) => this.session(sock));
    this.sockets = new Set();
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => { this.port = this.server.address().port; resolve(this.port); });
    });
  }

  stop() {
    if (!this.server) return Promise.resolve();
    for (const s of this.sockets) s.destroy();
    const srv = this.server;
    this.server = null;
    return new Promise((resolve) => srv.close(() => resolve()));
  }

  refuse(on) { this.refusing = on; }

  session(sock) {
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '', inData = false, msg = null;
    const say = (line) => sock.write(line + '\r\n');
    say('220 sink.test ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          msg.data = buf.slice(0, end + 2).replace(/\r\n\.\./g, '\r\n.');
          buf = buf.slice(end + 5);
          inData = false;
          Object.assign(msg, parseMessage(Buffer.from(msg.data, 'latin1').toString('latin1')));
          this.messages.push(msg);
          this.waiters.splice(0).forEach((w) => w());
          say('250 OK queued');
          msg = null;
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') { sock.write('250-sink.test\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n'); }
        else if (verb === 'HELO') say('250 sink.test');
        else if (verb === 'MAIL') {
          if (this.refusing) { say('451 try again later'); continue; }
          msg = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [] };
          say('250 OK');
        } else if (verb === 'RCPT') {
          if (!msg) { say('503 MAIL first'); continue; }
          msg.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 OK');
        } else if (verb === 'DATA') {
          if (!msg || !msg.to.length) { say('503 RCPT first'); continue; }
          inData = true;
          say('354 end with .');
        } else if (verb === 'RSET') { msg = null; say('250 OK'); }
        else if (verb === 'NOOP') say('250 OK');
        else if (verb === 'QUIT') { say('221 bye'); sock.end(); return; }
        else say('502 not implemented');
      }
    });
  }

  // Resolves with the first message (checked from the oldest) for which
  // pred is true, waiting up to ms.
  waitFor(pred, ms = 15000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${ms} ms; got ${this.messages.length}: ` +
        this.messages.map((m) => `${m.to} ${m.headers.subject}`).join(' | '))), ms);
      const check = () => {
        const m = this.messages.find(pred);
        if (m) { clearTimeout(timer); resolve(m); return; }
        this.waiters.push(check);
      };
      check();
    });
  }
}

module.exports = { SmtpSink, parseMessage };
