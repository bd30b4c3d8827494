// The isolation suite's attack program for JavaScript: stdin names what to do (see attacks.c).
const fs = require('fs');
const net = require('net');
const cp = require('child_process');

const [cmd, port] = fs.readFileSync(0, 'utf8').trim().split(/\s+/);
const count = (dir, digits) => {
  try {
    return fs.readdirSync(dir).filter((n) => !digits || /^\d/.test(n)).length;
  } catch (e) {
    return -1;
  }
};
const reach = (host, p) => new Promise((resolve) => {
  const s = net.connect({host, port: p, timeout: 1000});
  s.on('connect', () => { s.destroy(); resolve('connected'); });
  s.on('error', () => resolve('blocked'));
  s.on('timeout', () => { s.destroy(); resolve('blocked'); });
});

if (cmd === 'probe') {
  console.log(count('/proc', true), count('.', false), count('/dev/shm', false));
} else if (cmd === 'memory') {
  const keep = [];
  for (;;) keep.push(new Array(1 << 17).fill(1.5));
} else if (cmd === 'flood') {
  const text = 'flood flood flood flood\n'.repeat(1000);
  for (;;) fs.writeSync(1, text);
} else if (cmd === 'files') {
  let refused = 0;
  for (const p of ['/x', '/usr/x', '/etc/x', '/arbiter/x', '/proc/x']) {
    try {
      fs.writeFileSync(p, 'x');
    } catch (e) {
      refused++;
    }
  }
  fs.writeFileSync('left-behind', 'x');
  fs.writeFileSync('/dev/shm/left-behind', 'x');
  console.log('refused', refused);
} else if (cmd === 'net') {
  Promise.all([reach('127.0.0.1', Number(port)), reach('1.1.1.1', 53)])
      .then((r) => console.log(r.join(' ')));
} else if (cmd === 'fork') {
  for (;;) {
    try {
      cp.spawn(process.execPath, [process.argv[1]], {stdio: ['pipe', 'ignore', 'ignore']})
          .stdin.end('fork');
    } catch (e) {
      // refused at the process limit: keep trying
    }
  }
}
