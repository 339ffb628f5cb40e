// Integration tests talk to real servers: cold JVMs and first-time topic creation take seconds, not milliseconds.
jest.setTimeout(120_000);
