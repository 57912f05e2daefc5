#!/usr/bin/env python3
"""Tiny multi-turn A2A agent built on the OFFICIAL Python SDK (a2a-sdk 1.3.0).

evalgate's Swift tests run it as an independent A2A server to check evalgate's
A2A client (v0.3 JSON-RPC wire format: `message/send`, `tasks/get`). The SDK serves
v1.0 JSON-RPC (`SendMessage`, needs header `A2A-Version: 1.0`) and, through
`enable_v0_3_compat=True`, v0.3 on the same endpoint.

    python3 scripts/a2a-sdk-agent.py --port 0 --port-file PATH

Binds 127.0.0.1 (port 0 = any free port), writes the port to PATH (temp file and
rename) once listening, exits cleanly on SIGTERM/SIGINT.
JSON-RPC: POST http://127.0.0.1:PORT/a2a    card: GET /.well-known/agent-card.json

Conversation (state kept by the agent per contextId):
  1st user message without an order number -> "What is your order number?", input-required
  message with an order number (e.g. A-12345) -> "Order A-12345: refund of 42.99 EUR
      issued after N messages." (N = user messages seen in the context), completed, + artifact
  any later message in the context -> "Anything else? (message N)", completed (new task)
"""

import argparse
import asyncio
import contextlib
import os
import re
import signal
import socket

# Skip the SDK's OpenTelemetry wrappers: no tracing needed, and with them the
# SDK logs spurious "Failed to detach context" tracebacks on every request.
os.environ.setdefault('OTEL_INSTRUMENTATION_A2A_SDK_ENABLED', 'false')

import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from a2a.helpers import new_task_from_user_message, new_text_part  # noqa: E402
from a2a.server.agent_execution import AgentExecutor, RequestContext  # noqa: E402
from a2a.server.events import EventQueue  # noqa: E402
from a2a.server.request_handlers import DefaultRequestHandler  # noqa: E402
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes  # noqa: E402
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater  # noqa: E402
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill  # noqa: E402

ORDER_RE = re.compile(r'\b[A-Z]+-\d+\b')


class RefundAgent(AgentExecutor):
    def __init__(self) -> None:
        # contextId -> {'count': user messages seen, 'awaiting': asked for the order number}
        self.contexts: dict[str, dict] = {}

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        # SDK rule: a new task must be enqueued as a Task before any status update.
        if context.current_task is None:
            await event_queue.enqueue_event(new_task_from_user_message(context.message))
        state = self.contexts.setdefault(context.context_id, {'count': 0, 'awaiting': False})
        state['count'] += 1
        n = state['count']
        updater = TaskUpdater(event_queue, context.task_id, context.context_id)

        def reply(text: str):
            return updater.new_agent_message([new_text_part(text)])

        match = ORDER_RE.search(context.get_user_input())
        if match:
            state['awaiting'] = False
            text = f'Order {match.group(0)}: refund of 42.99 EUR issued after {n} messages.'
            await updater.add_artifact([new_text_part(text)], name='refund')
            await updater.complete(reply(text))
        elif n == 1 or state['awaiting']:
            state['awaiting'] = True
            await updater.requires_input(reply('What is your order number?'))
        else:
            await updater.complete(reply(f'Anything else? (message {n})'))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        await TaskUpdater(event_queue, context.task_id, context.context_id).cancel()


def build_app(port: int) -> Starlette:
    url = f'http://127.0.0.1:{port}/a2a'
    card = AgentCard(
        name='evalgate refund agent (a2a-sdk)',
        description='Deterministic multi-turn refund agent for evalgate A2A client tests.',
        version='1.0.0',
        # v1.0 interface first (what v1.0 clients pick); the 0.3 entry makes the SDK also
        # emit the legacy top-level url/preferredTransport/protocolVersion fields.
        supported_interfaces=[
            AgentInterface(url=url, protocol_binding='JSONRPC', protocol_version='1.0'),
            AgentInterface(url=url, protocol_binding='JSONRPC', protocol_version='0.3'),
        ],
        capabilities=AgentCapabilities(streaming=False, push_notifications=False),
        default_input_modes=['text/plain'],
        default_output_modes=['text/plain'],
        skills=[AgentSkill(id='refund', name='Refund', description='Refunds an order.',
                           tags=['refund'], examples=['I want a refund'])],
    )
    handler = DefaultRequestHandler(
        agent_executor=RefundAgent(), task_store=InMemoryTaskStore(), agent_card=card)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        await handler.aclose()

    routes = create_jsonrpc_routes(handler, rpc_url='/a2a', enable_v0_3_compat=True)
    routes += create_agent_card_routes(card)  # /.well-known/agent-card.json
    return Starlette(routes=routes, lifespan=lifespan)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--port-file')
    args = ap.parse_args()
    # A parent that blocks signals (a test runner's threads) passes its mask on: take SIGTERM back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    # Bind ourselves so the real port is known before building the card.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('127.0.0.1', args.port))
    port = sock.getsockname()[1]

    server = uvicorn.Server(uvicorn.Config(build_app(port), log_level='warning',
                                           timeout_graceful_shutdown=2))
    # uvicorn's own signal handling re-raises SIGTERM after shutdown (exit status
    # 143); handle SIGTERM/SIGINT ourselves so a graceful shutdown exits with 0.
    server.capture_signals = contextlib.nullcontext
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda: setattr(server, 'should_exit', True))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.02)
    if server.started and args.port_file:
        tmp = f'{args.port_file}.{os.getpid()}.tmp'
        with open(tmp, 'w') as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
    await serving


if __name__ == '__main__':
    asyncio.run(main())
