#!/usr/bin/env python3
"""Drives a headless Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe),
Python standard library only, so the dashboard tests can sign in, fill forms and click like a person.

usage: cdp_driver.py CHROMIUM PROFILE_DIR < scenario.json > results.json

The scenario is a JSON list of steps, run in order:
  {"goto": URL}                         navigate and wait for the load event
  {"eval": JS, "name": KEY}             evaluate JS in the page; the value is saved under KEY
  {"submit": JS}                        evaluate JS that submits a form or clicks, then wait for the next load
  {"screenshot": PATH}                  save a PNG of the page
Results: {"steps": [{"url": ..., "value": ...}, ...], "values": {KEY: value}}; exit 1 with
{"error": ...} when a step fails or times out.
"""
import base64
import json
import os
import subprocess
import sys
import time


class Browser:
    def __init__(self, chromium, profile):
        self.to_read, child_write = os.pipe()
        child_read, self.to_write = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. Pipe ends are not inherited
        # (Python makes them close-on-exec); the two dup2 copies are, and nothing else is.
        def setup():
            # Copy out of the way first: dup2 onto the same number would keep close-on-exec.
            read_copy, write_copy = os.dup(child_read), os.dup(child_write)
            os.dup2(read_copy, 3)
            os.dup2(write_copy, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--remote-debugging-pipe", "--user-data-dir=" + profile, "--window-size=1280,1800", "--hide-scrollbars", "about:blank"],
            close_fds=False, preexec_fn=setup, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL)
        os.close(child_read)
        os.close(child_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def read_message(self, deadline):
        import select
        while b"\0" not in self.buffer:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("no message from chromium in time")
            ready, _, _ = select.select([self.to_read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.to_read, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_write, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self.read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == name:
                    del self.events[index]
                    return event
            self.events.append(self.read_message(deadline))

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')} {result.get('result', {}).get('description', '')}")
        return result.get("result", {}).get("value")


def main():
    chromium, profile = sys.argv[1], sys.argv[2]
    steps = json.load(sys.stdin)
    browser = Browser(chromium, profile)
    results = {"steps": [], "values": {}}
    try:
        browser.open_page()
        for step in steps:
            value = None
            if "goto" in step:
                browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
                browser.send("Page.navigate", {"url": step["goto"]})
                browser.wait_event("Page.loadEventFired")
            elif "submit" in step:
                browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
                browser.evaluate(step["submit"])
                browser.wait_event("Page.loadEventFired")
            elif "eval" in step:
                value = browser.evaluate(step["eval"])
                if "name" in step:
                    results["values"][step["name"]] = value
            elif "screenshot" in step:
                shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
                with open(step["screenshot"], "wb") as file:
                    file.write(base64.b64decode(shot["data"]))
            results["steps"].append({"url": browser.evaluate("location.href"), "value": value})
    except Exception as error:  # reported to the test, which fails with it
        results["error"] = f"{type(error).__name__}: {error}"
        json.dump(results, sys.stdout)
        browser.close()
        sys.exit(1)
    browser.close()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
