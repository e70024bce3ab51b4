// Code generation that must happen before bundling (e.g. the standalone manifest validator).
export const steps = [];
