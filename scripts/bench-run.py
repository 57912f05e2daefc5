#!/usr/bin/env python3
"""Runs evalgate's benchmarks against already-built release binaries (scripts/bench builds them).

Each run workload starts the reference agent on loopback with a fixed latency, generates a
kb-agent-style dataset of N cases, writes a pipeline (openai-chat, max_concurrency C, no baseline)
into a temporary folder and times the real `evalgate run PIPELINE --quiet`: real HTTP, real scoring,
journal, result file and history written into a temporary EVALGATE_HOME. The ideal is N*L/C: what
the run would take if evalgate itself cost nothing. Peak resident memory is the evalgate process's.

Python 3 standard library only. Results: one line per workload on stdout, and JSON in
bench-results/latest.json plus a timestamped copy (bench-results/ ignores itself).
"""

import argparse
import datetime
import glob
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (cases, agent latency ms, max_concurrency); --quick uses the second case count.
RUN_WORKLOADS = [
    ("latency-2k", 2_000, 500, 50, 32),
    ("latency-10k", 10_000, 2_000, 50, 64),
    ("throughput-10k", 10_000, 2_000, 0, 32),
    ("memory-100k", 100_000, 10_000, 0, 32),
]
# name: (scenarios, --quick scenarios, agent turns per scenario, latency ms per agent turn, max_concurrency):
# multi-turn scenarios with scripted customers (docs/conversations.md); ideal = N * turns * L / C.
CONVERSATION_WORKLOADS = [
    ("conversations-1k", 1_000, 200, 5, 50, 32),
    ("conversations-5k", 5_000, 500, 5, 50, 32),
]
VALIDATE_WORKLOADS = [("validate-100k", 100_000, 10_000)]
SCORER_WORKLOADS = [("scorers", 200_000, 20_000)]
# name: (cases, quick cases, shards, agent latency ms, max_concurrency per shard): the shards run as
# parallel processes into one history (--history-url, else one SQLite file), then `evalgate merge`.
SHARD_WORKLOADS = [("sharded-100k", 100_000, 10_000, 16, 0, 8)]
# name: (agents, runs per agent), then the --quick sizes. Target: the page in under 300 ms (issue 15).
PORTFOLIO_WORKLOADS = [("portfolio-200x1000", (200, 1000), (20, 100))]
# name: (cases, shard files), then the --quick sizes. Target: the merge's peak RSS at most 150 MiB (issue 17).
MERGE_WORKLOADS = [("merge-1m", (1_000_000, 64), (100_000, 16))]
MERGE_TARGET_MIB = 150
ALL_NAMES = ([w[0] for w in RUN_WORKLOADS] + [w[0] for w in CONVERSATION_WORKLOADS] + [w[0] for w in VALIDATE_WORKLOADS] + [w[0] for w in SCORER_WORKLOADS]
             + [w[0] for w in SHARD_WORKLOADS] + [w[0] for w in PORTFOLIO_WORKLOADS] + [w[0] for w in MERGE_WORKLOADS])

FALLBACK_FACTS = [
    ("How many PTO days do I get per year?",
     "Full-time employees get 25 days of paid time off (PTO) per year, accrued monthly.", "25 days", "pto"),
    ("Can I roll over unused vacation days to next year?",
     "You can carry over up to 5 unused PTO days into the next year; carried-over days expire on March 31.",
     "5 unused PTO days", "pto-carryover"),
    ("What's the hotel limit when I travel?",
     "Hotels are reimbursed up to $250 per night, or $350 per night in New York, London and Tokyo.", "$250 per night", "hotel-limit"),
]


def base_cases():
    """The kb-agent golden cases as scripts/generate-datasets writes them (questions the agent knows)."""
    path = os.path.join(ROOT, "scripts", "generate-datasets")
    try:
        loader = importlib.machinery.SourceFileLoader("generate_datasets", path)
        spec = importlib.util.spec_from_loader("generate_datasets", loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        cases = module.kb_cases()
        if cases:
            return cases
    except Exception as error:  # the generator is someone else's script; never let it stop a benchmark
        print(f"note: using built-in questions ({error})", file=sys.stderr)
    return [{
        "input": q, "expected": a, "tags": ["handbook", fact], "metadata": {"cluster": fact, "source": "bench"},
        "assert": [{"type": "icontains", "value": key, "metric": "factual_accuracy"}, {"type": "token-f1", "threshold": 0.3}],
    } for q, a, key, fact in FALLBACK_FACTS]


def write_dataset(path, count):
    """N cases cycling through the kb-agent questions, each with its own id and two scorers."""
    bases = base_cases()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            base = bases[i % len(bases)]
            item = {
                "id": f"bench-{i:06d}", "input": base["input"], "expected": base["expected"], "tags": base["tags"],
                "metadata": dict(base["metadata"], cluster=f"{base['metadata'].get('cluster', 'c')}-{i % 97}"),
                "assert": base["assert"],
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def write_pipeline(folder, dataset, url, concurrency):
    path = os.path.join(folder, f"bench-c{concurrency}.yaml")
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"""version: 1
name: bench
description: evalgate benchmark (scripts/bench)
agent:
  name: kb-agent
  version: bench
  owner: bench@example.invalid
  risk_tier: 1
  endpoint:
    type: openai-chat
    url: {url}/v1/chat/completions
    model: kb-agent
    system_prompt: "You answer employees' questions from the Acme employee handbook. Cite the section."
    parameters: {{temperature: 0}}
    max_steps: 1
    timeout: 30s
    retries: 2
    max_concurrency: {concurrency}
    pricing: {{input_per_1k: 0.00015, output_per_1k: 0.0006}}
datasets:
  - path: {os.path.basename(dataset)}
assert:
  - type: not-icontains
    value: "as an AI language model"
gates:
  tier: 1
baseline: {{from: none}}
""")
    return path


def start_agent(binary, latency, folder):
    port_file = os.path.join(folder, f"agent-{time.time_ns()}.port")
    process = subprocess.Popen(
        [binary, "--port", "0", "--port-file", port_file, "--latency-ms", str(latency)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return process, f"http://127.0.0.1:{int(text)}"
        if process.poll() is not None:
            raise SystemExit(f"the reference agent exited with {process.returncode}")
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the reference agent did not start within 30 s")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_times():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds(pid):
    """User + system CPU seconds a running process has used, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def wait_for_quiet(limit, threshold=0.25):
    """Waits (up to `limit` seconds) until other processes use less than `threshold` of a core;
    returns the cores busy in the last second measured."""
    deadline = time.time() + limit
    while True:
        before = cpu_times()
        time.sleep(1)
        after = cpu_times()
        if before is None or after is None:
            return None
        busy = (after[0] - before[0]) / max(1, after[1] - before[1]) * (os.cpu_count() or 1)
        if busy < threshold or time.time() >= deadline:
            return round(busy, 2)


def measured(argv, env, cwd):
    """Runs argv; returns (exit code, wall seconds, peak RSS KiB, output tail).

    Peak RSS comes from `/usr/bin/time -f %M`; without it, from the kernel's rusage of the child
    (wait4), which is exact where polling /proc/PID/status for VmHWM could miss the last moments.
    """
    time_binary = "/usr/bin/time"
    use_time = os.access(time_binary, os.X_OK)
    with tempfile.TemporaryDirectory(prefix="bench-measure-") as scratch:
        rss_path = os.path.join(scratch, "rss")
        output_path = os.path.join(scratch, "output")
        command = [time_binary, "-f", "%M", "-o", rss_path] + argv if use_time else argv
        with open(output_path, "wb") as output:
            machine_before = cpu_times()
            start = time.perf_counter()
            process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            machine_after = cpu_times()
            process.returncode = os.waitstatus_to_exitcode(status)
        code = process.returncode
        peak = usage.ru_maxrss
        if use_time:
            with open(rss_path) as f:
                lines = [line.strip() for line in f if line.strip()]
            if lines and lines[-1].isdigit():
                peak = int(lines[-1])
            if lines and lines[0].startswith("Command exited with non-zero status"):
                code = int(lines[0].rsplit(" ", 1)[1])
        with open(output_path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").strip().splitlines()
        tail = lines[-3:]
        phases = parse_phases(lines)
    busy = None
    if machine_before and machine_after:
        ticks = max(1, machine_after[1] - machine_before[1])
        busy = (machine_after[0] - machine_before[0]) / ticks * (os.cpu_count() or 1) * wall
    return {"code": code, "wall": wall, "peak": peak, "tail": tail, "cpu": usage.ru_utime + usage.ru_stime, "machineBusy": busy,
            "phases": phases}


def parse_phases(lines):
    """`phases: validate 0.039 s, run 3.337 s, ...` (EVALGATE_PHASE_TIMES=1) as {name: seconds}."""
    for line in lines:
        if line.startswith("phases: "):
            phases = {}
            for part in line[len("phases: "):].split(", "):
                name, _, rest = part.partition(" ")
                try:
                    phases[name] = float(rest.split()[0])
                except (ValueError, IndexError):
                    pass
            return phases
    return None


def run_workload(name, cases, latency, concurrency, binaries, work, datasets, repeat):
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = datasets.get(cases)
    if dataset is None:
        dataset = os.path.join(work, f"bench-{cases}.jsonl")
        write_dataset(dataset, cases)
        datasets[cases] = dataset
    shutil.copy(dataset, os.path.join(folder, os.path.basename(dataset)))
    agent, url = start_agent(binaries["agent"], latency, folder)
    try:
        pipeline = write_pipeline(folder, dataset, url, concurrency)
        runs = []
        for attempt in range(max(1, repeat)):
            # A fresh history each time: every repetition is a first run, like the first.
            env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, f"home-{attempt}"), NO_COLOR="1", EVALGATE_PHASE_TIMES="1")
            env.pop("EVALGATE_HISTORY", None)
            agent_before = process_cpu_seconds(agent.pid)
            run = measured([binaries["evalgate"], "run", pipeline, "--quiet"], env, folder)
            agent_after = process_cpu_seconds(agent.pid)
            run["agentCPU"] = agent_after - agent_before if agent_before is not None and agent_after is not None else None
            runs.append(run)
            shutil.rmtree(os.path.join(folder, f"home-{attempt}"), ignore_errors=True)
            if run["code"] not in (0, 1, 2):
                break
    finally:
        stop(agent)
    # The median run by wall time (the machine is shared with the agent and whatever else runs);
    # every repetition's wall time is kept in the JSON.
    run = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    agent_cpu = run["agentCPU"]
    wall = run["wall"]
    ideal = cases * latency / 1000 / concurrency
    result = {
        "name": name, "kind": "run", "cases": cases, "latencyMs": latency, "concurrency": concurrency,
        "wallSeconds": round(wall, 3), "idealSeconds": round(ideal, 3),
        "wallOverIdeal": round(wall / ideal, 3) if ideal > 0 else None,
        "casesPerSecond": round(cases / wall, 1), "peakRSSMiB": round(run["peak"] / 1024, 1), "exitCode": run["code"],
        "evalgateCPUSeconds": round(run["cpu"], 2), "agentCPUSeconds": round(agent_cpu, 2) if agent_cpu is not None else None,
        "repetitions": len(runs), "allWallSeconds": [round(r["wall"], 3) for r in runs], "phaseSeconds": run["phases"],
    }
    add_foreign_load(result, run, agent_cpu or 0)
    # 0 pass, 1 a gate failed, 2 inconclusive: the run completed; anything else is a broken benchmark.
    if run["code"] not in (0, 1, 2):
        result["error"] = " | ".join(run["tail"])
    return result


def sharded_workload(name, cases, shards, latency, concurrency, binaries, work, datasets, history_url):
    """N cases in S shards as parallel `evalgate run --shard` processes, then one `evalgate merge`."""
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = datasets.get(cases)
    if dataset is None:
        dataset = os.path.join(work, f"bench-{cases}.jsonl")
        write_dataset(dataset, cases)
        datasets[cases] = dataset
    shutil.copy(dataset, os.path.join(folder, os.path.basename(dataset)))
    agent, url = start_agent(binaries["agent"], latency, folder)
    group = f"bench-{int(time.time())}"
    history = history_url or os.path.join(folder, "history.sqlite")
    env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, "home"), NO_COLOR="1", EVALGATE_PHASE_TIMES="1", EVALGATE_HISTORY=history)
    try:
        pipeline = write_pipeline(folder, dataset, url, concurrency)
        start = time.perf_counter()
        processes = []
        for index in range(1, shards + 1):
            log = open(os.path.join(folder, f"shard-{index}.log"), "wb")
            processes.append((subprocess.Popen([binaries["evalgate"], "run", pipeline, "--shard", f"{index}/{shards}",
                                                "--shard-group", group, "--quiet"], env=env, cwd=folder, stdout=log,
                                               stderr=subprocess.STDOUT), log))
        codes = []
        for process, log in processes:
            codes.append(process.wait())
            log.close()
        shards_wall = time.perf_counter() - start
        record_seconds = []
        for index in range(1, shards + 1):
            with open(os.path.join(folder, f"shard-{index}.log"), "rb") as f:
                phases = parse_phases(f.read().decode("utf-8", "replace").splitlines())
            if phases and "record" in phases:
                record_seconds.append(phases["record"])
        merge = measured([binaries["evalgate"], "merge", "--group", group, "--quiet"], env, folder)
    finally:
        stop(agent)
    total = shards_wall + merge["wall"]
    result = {
        "name": name, "kind": "sharded", "cases": cases, "shards": shards, "latencyMs": latency, "concurrency": concurrency,
        "history": "postgres" if history.startswith("postgres") else "sqlite",
        "shardsWallSeconds": round(shards_wall, 3), "mergeWallSeconds": round(merge["wall"], 3), "wallSeconds": round(total, 3),
        "casesPerSecond": round(cases / total, 1), "mergePeakRSSMiB": round(merge["peak"] / 1024, 1), "exitCode": merge["code"],
        "shardExitCodes": sorted(set(codes)), "mergePhaseSeconds": merge["phases"],
        # Each shard writes its share of case rows in its record phase; the phases overlap.
        "shardRecordSecondsMax": round(max(record_seconds), 3) if record_seconds else None,
        "caseRowsPerSecondWhileRecording": round(cases / max(record_seconds), 1) if record_seconds else None,
    }
    if any(code != 7 for code in codes) or merge["code"] not in (0, 1, 2):
        result["error"] = f"shard exit codes {sorted(set(codes))}, merge {merge['code']}: " + " | ".join(merge["tail"])
    return result


def shard_of(case_id, count):
    """The 1-based shard of a case id, as `Shard.index(of:count:)` computes it (SHA-256, first 8 bytes)."""
    return int.from_bytes(hashlib.sha256(case_id.encode("utf-8")).digest()[:8], "big") % count + 1


def merge_workload(name, size, binaries, work, datasets):
    """`evalgate merge --files` of N cases in S shard result files, into a fresh SQLite history.

    One real shard (1/S) runs against the reference agent; its result file is the template. The
    other files are cloned from it: every case of the N-case dataset goes to the shard its id
    hashes to, as a copy of a template case with the case's id and position. The record of each
    file is the template's with its shard index and share. What is measured is the merge alone:
    its wall time and its peak RSS (the issue's target: at most 150 MiB at 1,000,000 cases from
    64 files).
    """
    cases, shards = size
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = datasets.get(cases)
    if dataset is None:
        dataset = os.path.join(work, f"bench-{cases}.jsonl")
        write_dataset(dataset, cases)
        datasets[cases] = dataset
    shutil.copy(dataset, os.path.join(folder, os.path.basename(dataset)))
    env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, "home"), NO_COLOR="1", EVALGATE_PHASE_TIMES="1")
    env.pop("EVALGATE_HISTORY", None)
    template_path = os.path.join(folder, "template.json")
    agent, url = start_agent(binaries["agent"], 0, folder)
    try:
        pipeline = write_pipeline(folder, dataset, url, 8)
        template_run = subprocess.run(
            [binaries["evalgate"], "run", pipeline, "--shard", f"1/{shards}", "--shard-group", "bench-merge", "--output", template_path,
             "--history", os.path.join(folder, "template.sqlite"), "--quiet"], env=env, cwd=folder, capture_output=True, text=True)
    finally:
        stop(agent)
    if template_run.returncode != 7:
        return {"name": name, "kind": "merge", "error": f"the template shard failed ({template_run.returncode}): {template_run.stderr.strip()[-300:]}"}

    generate_start = time.perf_counter()
    with open(template_path, encoding="utf-8") as f:
        template = json.load(f)
    template_cases = template.pop("cases")
    patterns = []
    for case in template_cases[:500]:
        if case["id"] != f"bench-{case['index']:06d}":
            return {"name": name, "kind": "merge", "error": f"unexpected case id {case['id']!r} at position {case['index']}"}
        clone = dict(case, id="@@CASE-ID@@", index=987654321987)
        patterns.append(json.dumps(clone, separators=(",", ":"), sort_keys=True, ensure_ascii=False))
    by_shard = [[] for _ in range(shards)]
    for position in range(cases):
        by_shard[shard_of(f"bench-{position:06d}", shards) - 1].append(position)
    files = []
    for index in range(1, shards + 1):
        head = json.loads(json.dumps(template))
        head["id"] = f"{template['id']}-{index}"
        head["shard"]["index"] = index
        head["selectedCases"] = len(by_shard[index - 1])
        text = json.dumps(head, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        path = os.path.join(folder, f"shard-{index}.json")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text[:-1] + ',"cases":[')
            chunk = []
            separator = ""
            for position in by_shard[index - 1]:
                pattern = patterns[position % len(patterns)]
                chunk.append(pattern.replace("@@CASE-ID@@", f"bench-{position:06d}", 1).replace("987654321987", str(position), 1))
                if len(chunk) >= 2000:
                    out.write(separator + ",".join(chunk))
                    separator, chunk = ",", []
            if chunk:
                out.write(separator + ",".join(chunk))
            out.write("]}\n")
        files.append(path)
    generate_seconds = time.perf_counter() - generate_start
    file_bytes = sum(os.path.getsize(path) for path in files)

    merge = measured([binaries["evalgate"], "merge", "--files"] + files + ["--history", os.path.join(folder, "merged.sqlite"), "--quiet"],
                     env, folder)
    result = {
        "name": name, "kind": "merge", "cases": cases, "shards": shards, "shardFileMiB": round(file_bytes / 1048576, 1),
        "generateSeconds": round(generate_seconds, 1), "mergeWallSeconds": round(merge["wall"], 3),
        "casesPerSecond": round(cases / merge["wall"], 1), "mergePeakRSSMiB": round(merge["peak"] / 1024, 1),
        "targetMiB": MERGE_TARGET_MIB, "exitCode": merge["code"], "mergePhaseSeconds": merge["phases"],
        "evalgateCPUSeconds": round(merge["cpu"], 2), "machineBusyCPUSeconds": round(merge["machineBusy"], 1) if merge["machineBusy"] else None,
    }
    shutil.rmtree(folder, ignore_errors=True)
    if merge["code"] not in (0, 1, 2):
        result["error"] = f"merge exit code {merge['code']}: " + " | ".join(merge["tail"])
    elif merge["peak"] / 1024 > MERGE_TARGET_MIB and cases >= 1_000_000:
        result["error"] = f"the merge peaked at {merge['peak'] / 1024:.1f} MiB, target at most {MERGE_TARGET_MIB} MiB"
    return result


def write_conversation_dataset(path, count, turns):
    """N scenarios whose scripted customer says turns - 1 things after the opening, whatever the agent
    answers: every scenario is exactly `turns` agent turns of one request each (kb-agent calls no tools)."""
    bases = base_cases()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            questions = [bases[(i + t) % len(bases)]["input"] for t in range(turns)]
            item = {
                "id": f"conv-{i:06d}", "tags": ["conversation"],
                "scenario": {"opening": questions[0], "max_turns": turns, "user": {"script": [{"say": q} for q in questions[1:]]}},
                "assert": [{"type": "turns", "value": turns}, {"type": "not-icontains", "value": "as an AI language model", "on": "every-turn"}],
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def conversation_workload(name, cases, turns, latency, concurrency, binaries, work, repeat):
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = os.path.join(folder, f"conversations-{cases}.jsonl")
    write_conversation_dataset(dataset, cases, turns)
    agent, url = start_agent(binaries["agent"], latency, folder)
    try:
        pipeline = write_pipeline(folder, dataset, url, concurrency)
        runs = []
        for attempt in range(max(1, repeat)):
            env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, f"home-{attempt}"), NO_COLOR="1", EVALGATE_PHASE_TIMES="1")
            env.pop("EVALGATE_HISTORY", None)
            agent_before = process_cpu_seconds(agent.pid)
            run = measured([binaries["evalgate"], "run", pipeline, "--quiet"], env, folder)
            agent_after = process_cpu_seconds(agent.pid)
            run["agentCPU"] = agent_after - agent_before if agent_before is not None and agent_after is not None else None
            runs.append(run)
            shutil.rmtree(os.path.join(folder, f"home-{attempt}"), ignore_errors=True)
            if run["code"] not in (0, 1, 2):
                break
    finally:
        stop(agent)
    run = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    wall = run["wall"]
    ideal = cases * turns * latency / 1000 / concurrency
    result = {
        "name": name, "kind": "conversation", "cases": cases, "turns": turns, "latencyMs": latency, "concurrency": concurrency,
        "wallSeconds": round(wall, 3), "idealSeconds": round(ideal, 3), "wallOverIdeal": round(wall / ideal, 3) if ideal > 0 else None,
        "casesPerSecond": round(cases / wall, 1), "peakRSSMiB": round(run["peak"] / 1024, 1), "exitCode": run["code"],
        "evalgateCPUSeconds": round(run["cpu"], 2),
        "agentCPUSeconds": round(run["agentCPU"], 2) if run["agentCPU"] is not None else None,
        "repetitions": len(runs), "allWallSeconds": [round(r["wall"], 3) for r in runs], "phaseSeconds": run["phases"],
    }
    add_foreign_load(result, run, run["agentCPU"] or 0)
    if run["code"] not in (0, 1, 2):
        result["error"] = " | ".join(run["tail"])
    return result


def add_foreign_load(result, run, agent_cpu):
    """CPU seconds other processes used during the workload: figures taken on a busy machine say so."""
    if run["machineBusy"] is not None:
        foreign = max(0.0, run["machineBusy"] - run["cpu"] - agent_cpu)
        result["otherCPUSeconds"] = round(foreign, 2)
        if foreign > 0.1 * run["wall"]:
            result["noisy"] = True


def validate_workload(name, cases, binaries, work, datasets):
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = datasets.get(cases)
    if dataset is None:
        dataset = os.path.join(work, f"bench-{cases}.jsonl")
        write_dataset(dataset, cases)
        datasets[cases] = dataset
    shutil.copy(dataset, os.path.join(folder, os.path.basename(dataset)))
    pipeline = write_pipeline(folder, dataset, "http://127.0.0.1:9", 32)
    env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, "home"), NO_COLOR="1")
    run = measured([binaries["evalgate"], "validate", pipeline], env, folder)
    result = {
        "name": name, "kind": "validate", "cases": cases, "wallSeconds": round(run["wall"], 3),
        "casesPerSecond": round(cases / run["wall"], 1), "peakRSSMiB": round(run["peak"] / 1024, 1), "exitCode": run["code"],
        "evalgateCPUSeconds": round(run["cpu"], 2),
    }
    add_foreign_load(result, run, 0)
    if run["code"] != 0:
        result["error"] = " | ".join(run["tail"])
    return result


def scorer_workload(name, answers, binaries):
    if not binaries.get("bench"):
        return {"name": name, "kind": "scorers", "error": "evalgate-bench was not built"}
    completed = subprocess.run(
        [binaries["bench"], "scorers", "--answers", str(answers), "--json"], capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        return {"name": name, "kind": "scorers", "error": completed.stderr.strip()[-500:]}
    report = json.loads(completed.stdout)
    return {"name": name, "kind": "scorers", "answers": answers, "scorers": report["scorers"]}


def portfolio_workload(name, size, binaries, work, datasets, cache):
    """`evalgate serve`'s portfolio page over AGENTS x RUNS stored runs, cloned from one real run.

    The history takes minutes to generate (every run is its own transaction with an audit entry),
    so it is kept in CACHE and reused by later benchmarks of the same size."""
    agents, runs = size
    if not binaries.get("bench"):
        return {"name": name, "kind": "portfolio", "error": "evalgate-bench was not built"}
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    dataset = os.path.join(folder, "bench-30.jsonl")
    write_dataset(dataset, 30)
    agent, url = start_agent(binaries["agent"], 0, folder)
    try:
        pipeline = write_pipeline(folder, dataset, url, 8)
        env = dict(os.environ, EVALGATE_HOME=os.path.join(folder, "home"), NO_COLOR="1")
        env.pop("EVALGATE_HISTORY", None)
        run = subprocess.run([binaries["evalgate"], "run", pipeline, "--quiet"], env=env, cwd=folder, capture_output=True, text=True)
    finally:
        stop(agent)
    results = sorted(glob.glob(os.path.join(folder, "home", "runs", "*", "result.json")))
    if run.returncode not in (0, 1, 2) or not results:
        return {"name": name, "kind": "portfolio", "error": f"the template run failed ({run.returncode}): {run.stderr.strip()[-300:]}"}
    os.makedirs(cache, exist_ok=True)
    history = os.path.join(cache, f"portfolio-{agents}x{runs}.sqlite")
    completed = subprocess.run(
        [binaries["bench"], "portfolio", results[-1], history, "--agents", str(agents), "--runs", str(runs), "--rounds", "15", "--json"],
        capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        return {"name": name, "kind": "portfolio", "error": completed.stderr.strip()[-500:]}
    report = json.loads(completed.stdout)
    report.update({"name": name, "kind": "portfolio", "targetMilliseconds": 300})
    if report["pageMedianMilliseconds"] >= 300:
        report["error"] = f"portfolio page took {report['pageMedianMilliseconds']:.1f} ms (median), target < 300 ms"
    return report


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def output(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return ""

    return {
        "nproc": os.cpu_count(), "cpu": model, "memoryGiB": memory, "kernel": platform.release(),
        "swift": output(["swift", "--version"]).splitlines()[0] if output(["swift", "--version"]) else "",
        "commit": output(["git", "rev-parse", "--short", "HEAD"]),
        "dirty": bool(output(["git", "status", "--porcelain", "--untracked-files=no"])),
    }


def noise(result):
    if not result.get("noisy"):
        return ""
    return f"  (other processes used {result['otherCPUSeconds']:.1f} CPU s: figures are not clean)"


def phase_text(result):
    """`  [median of 3; validate 0.04 run 3.30 history 0.05]`: where the reported run's time went."""
    phases = result.get("phaseSeconds") or {}
    shown = " ".join(f"{name} {seconds:.2f}" for name, seconds in phases.items() if name in ("plan", "run", "record"))
    median = f"median of {result['repetitions']}" if result.get("repetitions", 1) > 1 else ""
    text = "; ".join(part for part in (median, shown) if part)
    return f"  [{text}]" if text else ""


def print_line(result):
    name = result["name"]
    if result.get("error"):
        print(f"{name:<15} ERROR {result['error']}")
    elif result["kind"] in ("run", "conversation"):
        ratio = f"{result['wallOverIdeal']:.2f}" if result["wallOverIdeal"] is not None else "-"
        print(f"{name:<15} {result['cases']:>7} {result['latencyMs']:>5} {result['concurrency']:>4} {result['wallSeconds']:>8.2f} "
              f"{result['idealSeconds']:>8.2f} {ratio:>6} {result['casesPerSecond']:>8.0f} {result['peakRSSMiB']:>8.1f} {result['exitCode']:>4}"
              f"{phase_text(result)}{noise(result)}")
    elif result["kind"] == "validate":
        print(f"{name:<15} {result['cases']:>7} {'-':>5} {'-':>4} {result['wallSeconds']:>8.2f} {'-':>8} {'-':>6} "
              f"{result['casesPerSecond']:>8.0f} {result['peakRSSMiB']:>8.1f} {result['exitCode']:>4}{noise(result)}")
    elif result["kind"] == "sharded":
        print(f"{name:<15} {result['cases']:>7} {result['latencyMs']:>5} {result['concurrency']:>4} {result['wallSeconds']:>8.2f} "
              f"{'-':>8} {'-':>6} {result['casesPerSecond']:>8.0f} {result['mergePeakRSSMiB']:>8.1f} {result['exitCode']:>4}"
              f"  [{result['shards']} shards {result['shardsWallSeconds']:.2f} s + merge {result['mergeWallSeconds']:.2f} s, "
              f"{result['history']}; case rows/s while recording {result['caseRowsPerSecondWhileRecording']}; RSS = merge]")
    elif result["kind"] == "merge":
        phases = result.get("mergePhaseSeconds") or {}
        shown = " ".join(f"{name} {seconds:.1f}" for name, seconds in phases.items())
        print(f"{name:<15} {result['cases']:>7} cases from {result['shards']} files ({result['shardFileMiB']:.0f} MiB): merge "
              f"{result['mergeWallSeconds']:.1f} s ({result['casesPerSecond']:.0f} cases/s), peak RSS {result['mergePeakRSSMiB']:.1f} MiB "
              f"(target <= {result['targetMiB']}), exit {result['exitCode']}  [{shown}]")
    elif result["kind"] == "portfolio":
        generated = f", history generated in {result['generateSeconds']:.0f} s" if result.get("generateSeconds") else ""
        print(f"{name:<15} {result['storedRuns']:>7} runs of {result['agents']} agents: page {result['pageMedianMilliseconds']:.1f} ms median "
              f"(max {result['pageMaxMilliseconds']:.1f}, target < 300), history read {result['readMedianMilliseconds']:.1f} ms{generated}")
    else:
        print(f"{name:<15} {result['answers']:>7} answers, scoring only (no network); cases/s per scorer:")
        for scorer in result["scorers"]:
            print(f"  {scorer['scorer']:<22} {scorer['casesPerSecond']:>12,.0f} /s evaluate   "
                  f"{scorer['buildAndEvaluatePerSecond']:>12,.0f} /s build+evaluate")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with the release binaries")
    parser.add_argument("--quick", action="store_true", help="smaller N: a smoke run")
    parser.add_argument("--only", action="append", default=[], help=f"run only these workloads ({', '.join(ALL_NAMES)})")
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. 'before')")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="run each run workload N times and report the median by wall time (default 3)")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    parser.add_argument("--history-url", default=os.environ.get("EVALGATE_BENCH_HISTORY"),
                        help="history for the sharded workloads (e.g. postgres://…); default one SQLite file per workload")
    parser.add_argument("--merge-size", metavar="CASESxFILES",
                        help="merge-1m at another size, e.g. 400000x64 (to show how its memory grows with N)")
    parser.add_argument("--wait-idle", type=float, default=60, metavar="SECONDS",
                        help="before each workload, wait up to this long for other processes to go quiet (default 60)")
    args = parser.parse_args()
    only = {name for value in args.only for name in value.split(",") if name}
    unknown = only - set(ALL_NAMES)
    if unknown:
        parser.error(f"unknown workload {', '.join(sorted(unknown))}; known: {', '.join(ALL_NAMES)}")

    def wanted(name):
        return not only or name in only

    binaries = {
        "evalgate": os.path.join(args.bin, "evalgate"),
        "agent": os.path.join(args.bin, "evalgate-reference-agent"),
        "bench": os.path.join(args.bin, "evalgate-bench") if os.path.exists(os.path.join(args.bin, "evalgate-bench")) else None,
    }
    info = machine()
    print(f"# {info['nproc']} cores · {info['cpu']} · {info['memoryGiB']} GiB · {info['swift']} · {info['commit']}{' (dirty)' if info['dirty'] else ''}")
    print(f"{'workload':<15} {'N':>7} {'L ms':>5} {'C':>4} {'wall s':>8} {'ideal s':>8} {'w/i':>6} {'cases/s':>8} {'RSS MiB':>8} {'exit':>4}")
    results = []
    work = tempfile.mkdtemp(prefix="evalgate-bench-")
    datasets = {}
    try:
        def record(result, busy_before):
            result["otherCoresBusyBefore"] = busy_before
            results.append(result)
            print_line(result)

        for name, full, quick, latency, concurrency in RUN_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(run_workload(name, quick if args.quick else full, latency, concurrency, binaries, work, datasets, args.repeat), busy)
        for name, full, quick, turns, latency, concurrency in CONVERSATION_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(conversation_workload(name, quick if args.quick else full, turns, latency, concurrency, binaries, work, args.repeat), busy)
        for name, full, quick in VALIDATE_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(validate_workload(name, quick if args.quick else full, binaries, work, datasets), busy)
        for name, full, quick in SCORER_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(scorer_workload(name, quick if args.quick else full, binaries), busy)
        for name, full, quick, shards, latency, concurrency in SHARD_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(sharded_workload(name, quick if args.quick else full, shards, latency, concurrency, binaries, work, datasets,
                                        args.history_url), busy)
        for name, full, quick in PORTFOLIO_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                record(portfolio_workload(name, quick if args.quick else full, binaries, work, datasets, os.path.join(args.out, "cache")), busy)
        for name, full, quick in MERGE_WORKLOADS:
            if wanted(name):
                busy = wait_for_quiet(args.wait_idle)
                size = tuple(int(part) for part in args.merge_size.split("x")) if args.merge_size else (quick if args.quick else full)
                record(merge_workload(name, size, binaries, work, datasets), busy)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    document = {"schema": "evalgate.bench/v1", "startedAt": stamp, "label": args.label, "quick": args.quick,
                "machine": info, "workloads": results}
    os.makedirs(args.out, exist_ok=True)
    ignore = os.path.join(args.out, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as f:
            f.write("# Benchmark results are local; docs/benchmarks.md holds the committed summary.\n*\n")
    for path in (os.path.join(args.out, "latest.json"), os.path.join(args.out, f"{stamp}.json")):
        with open(path, "w") as f:
            json.dump(document, f, indent=2)
            f.write("\n")
    print(f"# results: {os.path.relpath(os.path.join(args.out, 'latest.json'), os.getcwd())} and {stamp}.json")
    return 1 if any(r.get("error") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
