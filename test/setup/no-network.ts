// Every test: no request leaves the machine, and every mocked GitHub request was made.
import nock from "nock";

nock.disableNetConnect();
// End-to-end tests talk to processes they started on loopback.
nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`Mocked requests never made:\n${pending.join("\n")}`);
});
