// The example's application: says where it connects (the host is marked `mask: false` in
// secretrun.yaml, so it shows in logs) and how long the password is, never the password.
console.log(`connecting to ${process.env.DB_HOST} with a password of ${process.env.DB_PASSWORD?.length ?? 0} characters`);
// Exits once the line is written: process.exit() right after a write may drop it when stdout
// is a pipe or socket that did not take it at once.
process.on('SIGTERM', () => {
  process.stdout.write('stopping on SIGTERM\n', () => process.exit(0));
});
setInterval(() => {}, 1 << 30);
