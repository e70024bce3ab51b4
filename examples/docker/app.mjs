// The example's application: says where it connects (the host is marked `mask: false` in
// secretrun.yaml, so it shows in logs) and how long the password is, never the password.
console.log(`connecting to ${process.env.DB_HOST} with a password of ${process.env.DB_PASSWORD?.length ?? 0} characters`);
process.on('SIGTERM', () => {
  console.log('stopping on SIGTERM');
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
