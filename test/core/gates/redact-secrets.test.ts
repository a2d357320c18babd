import { redactSecrets, urlSecrets } from "../../../src/core/gates/redact-secrets.js";

describe("redactSecrets", () => {
  it.each([
    ["GET https://user:pass@prom.example/api?query=up failed", "GET https://REDACTED@prom.example/api?query=up failed"],
    ["http://only-user@127.0.0.1:9/x", "http://REDACTED@127.0.0.1:9/x"],
    ["https://u:p@ss@host/x and https://a:b@other/", "https://REDACTED@host/x and https://REDACTED@other/"],
    ["https://h/x?token=abc&query=up", "https://h/x?token=REDACTED&query=up"],
    ["https://h/x?query=up&access_token=abc#frag", "https://h/x?query=up&access_token=REDACTED#frag"],
    ["https://h/x?api_key=k1&API_KEY=k2&Password=p", "https://h/x?api_key=REDACTED&API_KEY=REDACTED&Password=REDACTED"],
    ["Request cannot be constructed from a URL that includes credentials: http://u:secret@h/", "Request cannot be constructed from a URL that includes credentials: http://REDACTED@h/"],
  ])("%s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("leaves text without credentials alone", () => {
    for (const text of ["GET https://prom.example/api/v1/query?query=sum(rate(x[5m])) answered HTTP 503", "error-rate: 0.4 > max 0.01", "mail me@example.com", "a=b&c=d"]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });
});

describe("urlSecrets", () => {
  it("lists userinfo and credential query values, raw and decoded, for masking", () => {
    expect(urlSecrets("https://metrics-user:p%40ss-word@h/x?token=t0k3n&query=up").sort()).toEqual(
      ["metrics-user", "metrics-user:p%40ss-word", "metrics-user:p@ss-word", "p%40ss-word", "p@ss-word", "t0k3n"].sort(),
    );
    expect(urlSecrets("https://h/x?query=up")).toEqual([]);
    expect(urlSecrets("not a url")).toEqual([]);
  });
});
