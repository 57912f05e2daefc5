#!/usr/bin/env python3
"""A loopback OTLP/HTTP trace receiver that decodes with the OFFICIAL `opentelemetry-proto` package.

evalgate's tests run it to check what `--otlp-endpoint` sends, independently of the Swift
exporter's own code: every request to POST /v1/traces is parsed as an
`ExportTraceServiceRequest` (protobuf, or JSON; gzip understood) and each span is appended to
OUT as one JSON line:

    {"traceId", "spanId", "parentSpanId", "name", "kind", "attributes": {...},
     "events": [{"name", "attributes": {...}}], "status": {"code", "message"},
     "resource": {...}, "scope": "..."}

    python3 scripts/otlp-receiver.py --port 0 --port-file PATH --out spans.jsonl [--status 503]

Binds 127.0.0.1 (port 0 = any free port) and writes the port to PATH once listening.
`--status` answers every request with that HTTP status instead (a refusing collector).
A body that does not decode gets 400 and is logged to stderr.
"""

import argparse
import gzip
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2


def any_value(value):
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


def attributes(items):
    return {kv.key: any_value(kv.value) for kv in items}


def spans(request):
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                yield {
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "startTimeUnixNano": span.start_time_unix_nano,
                    "endTimeUnixNano": span.end_time_unix_nano,
                    "attributes": attributes(span.attributes),
                    "events": [{"name": event.name, "attributes": attributes(event.attributes)} for event in span.events],
                    "status": {"code": span.status.code, "message": span.status.message},
                    "resource": resource,
                    "scope": scope_spans.scope.name,
                }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=4318)
    parser.add_argument("--port-file")
    parser.add_argument("--out", required=True)
    parser.add_argument("--status", type=int)
    args = parser.parse_args()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if args.status:
                self.send_response(args.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path != "/v1/traces":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                request = trace_service_pb2.ExportTraceServiceRequest()
                if (self.headers.get("Content-Type") or "").startswith("application/json"):
                    json_format.Parse(body, request)
                else:
                    request.ParseFromString(body)
            except Exception as error:  # noqa: BLE001 - any undecodable body is the sender's fault
                print(f"undecodable request: {error}", file=sys.stderr, flush=True)
                self.send_response(400)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with lock, open(args.out, "a", encoding="utf-8") as out:
                for span in spans(request):
                    out.write(json.dumps(span) + "\n")
            reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    open(args.out, "a", encoding="utf-8").close()
    if args.port_file:
        temporary = args.port_file + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(str(server.server_address[1]))
        os.replace(temporary, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
