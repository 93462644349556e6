export async function mochaGlobalSetup(): Promise<void> {}
export async function mochaGlobalTeardown(): Promise<void> {}
