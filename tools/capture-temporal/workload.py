#!/usr/bin/env python3
"""Small, bounded Temporal workload for tools/capture-temporal/capture.

Drives a dev server on 127.0.0.1 through the Python SDK (temporalio) in several
namespaces so that the server's /metrics shows real completion counters
(workflow_success/_failed/_timeout/_terminate/_cancel/_continued_as_new),
RPC and persistence metrics, and expected errors (service_error_with_type).

Per namespace and per round it starts workflows that succeed, fail, retry a
failing activity, time out an activity, time out as a whole, wait for a
signal / query / update, get cancelled, get terminated, continue-as-new and
start a child; it also provokes WorkflowExecutionAlreadyStarted and NotFound
errors on purpose.  Every client call has a timeout and every error is caught,
so the workload rides through a server restart.  It stops by itself after
--seconds, or on SIGTERM/SIGINT, and exits within a few seconds after that.

Only talks to --address, which must be a 127.0.0.1 address.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import sys
import time
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.api.workflowservice.v1 import (
    DescribeNamespaceRequest,
    RegisterNamespaceRequest,
)
from temporalio.client import Client, WorkflowHandle
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from google.protobuf.duration_pb2 import Duration

TASK_QUEUE = "capture-tq"  # the hyphen shows the exporter's label-value sanitising

# ---------------------------------------------------------------- activities


@activity.defn
async def greet(name: str) -> str:
    await asyncio.sleep(0.05)
    return f"hello {name}"


@activity.defn
async def flaky(fail_times: int) -> str:
    attempt = activity.info().attempt
    if attempt <= fail_times:
        raise RuntimeError(f"flaky activity failing on purpose (attempt {attempt})")
    return f"ok after {attempt} attempts"


@activity.defn
async def slow(seconds: float) -> str:
    # Longer than its start_to_close_timeout: the server times it out, and the
    # late completion is then rejected by the server (NotFound).
    await asyncio.sleep(seconds)
    return "too late"


@activity.defn
async def heartbeating(steps: int) -> int:
    for i in range(steps):
        activity.heartbeat(i)
        await asyncio.sleep(0.3)
    return steps


ACTIVITIES = [greet, flaky, slow, heartbeating]

# ----------------------------------------------------------------- workflows

FAST_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=1.0, maximum_attempts=5)


@workflow.defn(name="OrderSucceeds")
class OrderSucceeds:
    @workflow.run
    async def run(self, name: str) -> str:
        a = await workflow.execute_activity(greet, name, start_to_close_timeout=timedelta(seconds=10))
        await workflow.sleep(timedelta(milliseconds=200))  # a user timer
        b = await workflow.execute_activity(
            heartbeating, 2, start_to_close_timeout=timedelta(seconds=10), heartbeat_timeout=timedelta(seconds=5)
        )
        return f"{a} {b}"


@workflow.defn(name="OrderFails")
class OrderFails:
    @workflow.run
    async def run(self, name: str) -> str:
        await workflow.execute_activity(greet, name, start_to_close_timeout=timedelta(seconds=10))
        raise ApplicationError("order rejected on purpose", type="OrderRejected", non_retryable=True)


@workflow.defn(name="PaymentRetries")
class PaymentRetries:
    @workflow.run
    async def run(self, fail_times: int) -> str:
        return await workflow.execute_activity(
            flaky, fail_times, start_to_close_timeout=timedelta(seconds=10), retry_policy=FAST_RETRY
        )


@workflow.defn(name="ShipmentActivityTimeout")
class ShipmentActivityTimeout:
    @workflow.run
    async def run(self, swallow: bool) -> str:
        try:
            return await workflow.execute_activity(
                slow,
                3.0,
                start_to_close_timeout=timedelta(seconds=1),
                retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=2),
            )
        except ActivityError:
            if swallow:
                return "gave up after activity timeouts"
            raise


@workflow.defn(name="InvoiceWaits")
class InvoiceWaits:
    """Waits for a 'finish' signal; used for signals, queries, updates,
    cancellation, termination and workflow timeouts."""

    def __init__(self) -> None:
        self.done = False
        self.bumps = 0

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self.done)
        return self.bumps

    @workflow.signal
    def finish(self) -> None:
        self.done = True

    @workflow.query
    def bumped(self) -> int:
        return self.bumps

    @workflow.update
    def bump(self, n: int) -> int:
        self.bumps += n
        return self.bumps


@workflow.defn(name="LedgerContinues")
class LedgerContinues:
    @workflow.run
    async def run(self, n: int) -> int:
        await workflow.execute_activity(greet, f"ledger-{n}", start_to_close_timeout=timedelta(seconds=10))
        if n < 2:
            workflow.continue_as_new(n + 1)
        return n


@workflow.defn(name="BatchParent")
class BatchParent:
    @workflow.run
    async def run(self, name: str) -> str:
        return await workflow.execute_child_workflow(
            OrderSucceeds.run, name, id=f"{workflow.info().workflow_id}-child", task_queue=TASK_QUEUE
        )


WORKFLOWS = [OrderSucceeds, OrderFails, PaymentRetries, ShipmentActivityTimeout, InvoiceWaits, LedgerContinues, BatchParent]

# -------------------------------------------------------------------- driver

stats: collections.Counter = collections.Counter()
CALL_TIMEOUT = 15.0  # seconds; bounds every client call


def log(msg: str) -> None:
    print(f"[workload {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


async def call(what: str, coro) -> object | None:
    """Await one client call with a timeout; count the outcome, never raise."""
    try:
        result = await asyncio.wait_for(coro, CALL_TIMEOUT)
        stats[f"ok {what}"] += 1
        return result
    except RPCError as e:
        stats[f"rpc-error {what} {e.status.name if e.status else '?'}"] += 1
    except asyncio.TimeoutError:
        stats[f"timeout {what}"] += 1
    except asyncio.CancelledError:
        raise
    except Exception as e:  # noqa: BLE001 - the workload must keep going
        stats[f"error {what} {type(e).__name__}"] += 1
    return None


async def ensure_namespace(client: Client, ns: str, deadline: float) -> bool:
    svc = client.workflow_service
    if ns != "default":
        req = RegisterNamespaceRequest(namespace=ns, workflow_execution_retention_period=Duration(seconds=24 * 3600))
        try:
            await asyncio.wait_for(svc.register_namespace(req), CALL_TIMEOUT)
            log(f"registered namespace {ns}")
        except RPCError as e:
            if e.status != RPCStatusCode.ALREADY_EXISTS:
                log(f"register {ns}: {e.status} {e}")
        except asyncio.TimeoutError:
            log(f"register {ns}: timeout")
    while time.monotonic() < deadline:
        try:
            await asyncio.wait_for(svc.describe_namespace(DescribeNamespaceRequest(namespace=ns)), CALL_TIMEOUT)
            return True
        except (RPCError, asyncio.TimeoutError):
            await asyncio.sleep(1)
    return False


async def later(delay: float, what: str, fn) -> None:
    await asyncio.sleep(delay)
    await call(what, fn())


async def one_round(client: Client, ns: str, rnd: int, tasks: set) -> None:
    tag = f"{ns}-{rnd}-{uuid.uuid4().hex[:6]}"

    def spawn(coro) -> None:
        t = asyncio.create_task(coro)
        tasks.add(t)
        t.add_done_callback(tasks.discard)

    async def start(wf, arg=None, *, id: str, **kw) -> WorkflowHandle | None:
        args = [] if arg is None else [arg]
        return await call(
            f"start {wf.__name__}",
            client.start_workflow(wf.run, args=args, id=id, task_queue=TASK_QUEUE, **kw),
        )

    # Succeeding workflows (activity + timer + heartbeating activity).
    for i in range(2):
        await start(OrderSucceeds, f"customer-{i}", id=f"order-{tag}-{i}")
    # Failing workflow (non-retryable application error).
    await start(OrderFails, "bad-customer", id=f"reject-{tag}")
    # Activity that fails twice then succeeds on retry; every 4th one fails for good.
    await start(PaymentRetries, 9 if rnd % 4 == 3 else 2, id=f"pay-{tag}")
    # Activity start-to-close timeouts (server-side); the workflow fails or swallows it.
    if rnd % 2 == 0:
        await start(ShipmentActivityTimeout, rnd % 4 == 0, id=f"ship-{tag}")
    # Workflow execution timeout: never signalled.
    await start(InvoiceWaits, id=f"invoice-timeout-{tag}", execution_timeout=timedelta(seconds=3))
    # Signal + query + update, then completes.
    h = await start(InvoiceWaits, id=f"invoice-signal-{tag}")
    if h is not None:
        hh: WorkflowHandle = h  # type: ignore[assignment]

        async def query_update_signal() -> None:
            await asyncio.sleep(1.0)
            await call("query", hh.query(InvoiceWaits.bumped))
            await call("update", hh.execute_update(InvoiceWaits.bump, 2))
            await call("signal", hh.signal(InvoiceWaits.finish))

        spawn(query_update_signal())
        # Starting the same id again: WorkflowExecutionAlreadyStarted (expected error).
        await start(InvoiceWaits, id=f"invoice-signal-{tag}")
    # Cancelled (the wait raises CancelledError inside the workflow -> canceled).
    h = await start(InvoiceWaits, id=f"invoice-cancel-{tag}")
    if h is not None:
        spawn(later(1.5, "cancel", h.cancel))
    # Terminated.
    h = await start(InvoiceWaits, id=f"invoice-terminate-{tag}")
    if h is not None:
        spawn(later(1.5, "terminate", lambda h=h: h.terminate(reason="capture workload")))
    # Signal-with-start: completes at once.
    await call(
        "signal-with-start",
        client.start_workflow(
            InvoiceWaits.run, id=f"invoice-sws-{tag}", task_queue=TASK_QUEUE, start_signal="finish"
        ),
    )
    # Continue-as-new chain and a parent/child pair, less often.
    if rnd % 2 == 1:
        await start(LedgerContinues, 0, id=f"ledger-{tag}")
    if rnd % 3 == 0:
        await start(BatchParent, "batch", id=f"batch-{tag}")
    # Expected NotFound errors: describe and signal a workflow that does not exist.
    missing = client.get_workflow_handle(f"no-such-workflow-{tag}")
    await call("describe-missing", missing.describe())
    await call("signal-missing", missing.signal("finish"))
    # A read path: list a few executions (visibility).
    if rnd % 5 == 0:
        async def list_some() -> None:
            n = 0
            async for _ in client.list_workflows("WorkflowType = 'OrderSucceeds'", limit=20):
                n += 1

        await call("list", list_some())


async def drive(client: Client, ns: str, deadline: float, period: float, stop: asyncio.Event) -> None:
    tasks: set = set()
    rnd = 0
    while time.monotonic() < deadline and not stop.is_set():
        t0 = time.monotonic()
        if len(tasks) < 200:  # bound the in-flight helper tasks (e.g. while the server is down)
            try:
                await asyncio.wait_for(one_round(client, ns, rnd, tasks), 60)
            except asyncio.TimeoutError:
                stats["timeout round"] += 1
        rnd += 1
        rest = period - (time.monotonic() - t0)
        if rest > 0:
            try:
                await asyncio.wait_for(stop.wait(), rest)
            except asyncio.TimeoutError:
                pass
    for t in list(tasks):
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stats[f"rounds {ns}"] = rnd


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--address", required=True, help="host:port of the frontend, must be 127.0.0.1:PORT")
    ap.add_argument("--namespaces", default="default,orders,billing")
    ap.add_argument("--seconds", type=float, required=True, help="stop after this many seconds")
    ap.add_argument("--period", type=float, default=5.0, help="seconds between rounds per namespace")
    args = ap.parse_args()
    if not args.address.startswith("127.0.0.1:"):
        ap.error("--address must be 127.0.0.1:PORT")

    start = time.monotonic()
    deadline = start + args.seconds
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)

    namespaces = [n for n in args.namespaces.split(",") if n]
    base = await asyncio.wait_for(Client.connect(args.address, namespace="default"), 30)
    for ns in namespaces:
        if not await ensure_namespace(base, ns, min(deadline, time.monotonic() + 60)):
            log(f"namespace {ns} not usable, giving up")
            return 1
    clients = {}
    for ns in namespaces:
        clients[ns] = await asyncio.wait_for(Client.connect(args.address, namespace=ns), 30)

    workers = [
        Worker(
            clients[ns],
            task_queue=TASK_QUEUE,
            workflows=WORKFLOWS,
            activities=ACTIVITIES,
            workflow_runner=UnsandboxedWorkflowRunner(),
            max_concurrent_activities=50,
            max_concurrent_workflow_tasks=20,
            graceful_shutdown_timeout=timedelta(seconds=1),
        )
        for ns in namespaces
    ]
    worker_tasks = [asyncio.create_task(w.run()) for w in workers]
    log(f"workers running in {namespaces}, driving for {args.seconds:.0f}s")

    drivers = [asyncio.create_task(drive(clients[ns], ns, deadline, args.period, stop)) for ns in namespaces]
    # Bounded: the drivers end at the deadline or on stop; give them 70 s extra at most.
    await asyncio.wait(drivers, timeout=max(1.0, deadline - time.monotonic()) + 70)
    stop.set()
    for d in drivers:
        d.cancel()
    await asyncio.gather(*drivers, return_exceptions=True)

    log("shutting down workers")
    try:
        await asyncio.wait_for(asyncio.gather(*(w.shutdown() for w in workers), return_exceptions=True), 15)
    except asyncio.TimeoutError:
        log("worker shutdown timed out")
    for t in worker_tasks:
        t.cancel()
    await asyncio.gather(*worker_tasks, return_exceptions=True)

    log(f"done after {time.monotonic() - start:.0f}s; call outcomes:")
    for k, v in sorted(stats.items()):
        print(f"  {v:6d}  {k}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalisation: the SDK's native runtime can abort there
    # ("PyGILState_Release ... must be current") after all the work is done.
    os._exit(code)
