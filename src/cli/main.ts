// placeholder replaced below
export async function runFromProcess(): Promise<void> {}
