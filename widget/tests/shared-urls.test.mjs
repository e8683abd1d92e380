// The shared URL guards (widget/js/urls.js): what may become a request, an origin or an href.
import { test } from "node:test";
import assert from "node:assert/strict";
import { httpUrl, safeOrigin, safeUrl } from "../js/urls.js";

test("safeUrl: http(s) by default, trailing slashes cut, no credentials", () => {
  assert.equal(safeUrl(" https://abc.execute-api.us-east-1.amazonaws.com/api// "), "https://abc.execute-api.us-east-1.amazonaws.com/api");
  assert.equal(safeUrl("http://127.0.0.1:8000/api"), "http://127.0.0.1:8000/api");
  assert.equal(safeUrl("https://user:pw@x.example/api"), undefined);
  assert.equal(safeUrl("ftp://x.example/api"), undefined);
  assert.equal(safeUrl("javascript:alert(1)"), undefined);
  assert.equal(safeUrl("not a url"), undefined);
  assert.equal(safeUrl(""), undefined);
  assert.equal(safeUrl(null), undefined);
  assert.equal(safeUrl("https://x.example/" + "a".repeat(2000)), undefined, "over 2000 characters");
});

test("safeUrl with WebSocket schemes", () => {
  const ws = ["wss:", "ws:"];
  assert.equal(safeUrl("wss://ws.example/prod", ws), "wss://ws.example/prod");
  assert.equal(safeUrl("ws://127.0.0.1:8000/ws", ws), "ws://127.0.0.1:8000/ws");
  assert.equal(safeUrl("https://ws.example/prod", ws), undefined);
});

test("safeOrigin: only the origin of an http(s) page", () => {
  assert.equal(safeOrigin("https://www.library.example/some/page?x=1"), "https://www.library.example");
  assert.equal(safeOrigin("http://localhost:8080"), "http://localhost:8080");
  assert.equal(safeOrigin("data:text/html,x"), undefined);
  assert.equal(safeOrigin("javascript:alert(1)"), undefined);
  assert.equal(safeOrigin(undefined), undefined);
});

test("httpUrl: a presigned link exactly as given, or null", () => {
  const signed = "https://b.s3.amazonaws.com/k?X-Amz-Signature=a%2Fb";
  assert.equal(httpUrl(signed), signed);
  assert.equal(httpUrl("http://127.0.0.1:5000/bucket/k"), "http://127.0.0.1:5000/bucket/k");
  for (const bad of ["javascript:alert(1)", "data:image/png;base64,AAAA", "/relative", "", null, 42, "blob:http://x/1"]) {
    assert.equal(httpUrl(bad), null, String(bad));
  }
});
