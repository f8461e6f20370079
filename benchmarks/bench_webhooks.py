"""Webhooks: 10,000 events delivered to a receiver on loopback by two workers.

Events are published to the outbox, fanned out (one delivery per event and
subscription), then two worker processes run the dispatcher (what the
`deliver_due` task runs) until every delivery to the good receiver has
succeeded. Run twice in one process: first with the good receiver alone
(the baseline), then with a second subscription to the same events whose
receiver never answers (each of its requests ends at the 5 s timeout).
Targets: at least 200 deliveries/s, and the hanging receiver leaves the
good one's rate where it was (ratio near 1).
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["BALAI_WEBHOOKS_ALLOW_PRIVATE"] = "1"
os.environ["BALAI_WEBHOOKS_TIMEOUT"] = "5"
os.environ["BALAI_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"

from benchmarks.common import free_port, setup_django, stamp

EVENTS = 10_000
WORKERS = 2
HERE = Path(__file__).resolve().parent

WORKER = """
import django, os, sys, time
django.setup()
from balai.webhooks import delivery
from balai.webhooks.models import Delivery
sub = int(sys.argv[1])
while Delivery.objects.filter(subscription_id=sub, status="pending").exists():
    delivery.dispatch(budget=30)
"""


RAW = """
import asyncio, sys, aiohttp
port, n = int(sys.argv[1]), int(sys.argv[2])
async def main():
    async with aiohttp.ClientSession() as session:
        slots = asyncio.Semaphore(48)
        async def one():
            async with slots, session.post(f"http://127.0.0.1:{port}/ok", data=b"x" * 300) as r:
                await r.read()
        await asyncio.gather(*[one() for _ in range(n)])
asyncio.run(main())
"""


def raw_rate(port: int) -> float:
    """The machine's ceiling in the same run: bare aiohttp POSTs from two processes,
    48 at a time each, no database, no signing."""
    started = time.perf_counter()
    posters = [
        subprocess.Popen([sys.executable, "-c", RAW, str(port), str(EVENTS // WORKERS)])
        for _ in range(WORKERS)
    ]
    for poster in posters:
        poster.wait(timeout=600)
    return EVENTS / (time.perf_counter() - started)


def start_receiver(port: int) -> subprocess.Popen:
    receiver = subprocess.Popen([sys.executable, str(HERE / "webhook_receiver.py"), str(port)])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            counts(port)
            return receiver
        except OSError:
            time.sleep(0.1)
    receiver.kill()
    raise SystemExit("receiver did not start")


def counts(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=5) as answer:
        return json.load(answer)


def publish_events(n: int) -> None:
    from django.db import transaction

    from balai.notifications.events import Kind, publish_many

    for start in range(0, n, 1000):
        with transaction.atomic():
            publish_many(
                [
                    (Kind.SERVICE_DOWN, {"service": f"layanan-{i}"}, None, None)
                    for i in range(start, min(n, start + 1000))
                ]
            )  # fmt: skip


def run(port: int, *, hanging: bool) -> tuple[float, float, int]:
    """(fan-out seconds, delivery seconds, deliveries made to the good receiver)."""
    from balai.accounts.choices import Role
    from balai.accounts.models import ApiClient, User
    from balai.notifications.models import Event
    from balai.webhooks import actions, delivery
    from balai.webhooks.models import Delivery, Subscription

    Delivery.objects.all().delete()
    Subscription.objects.all().delete()
    Event.objects.all().delete()
    user, _ = User.objects.get_or_create(
        username="svc-bench", defaults={"role": Role.COMMAND_CENTER, "is_service": True}
    )
    client, _ = ApiClient.objects.get_or_create(name="bench", user=user)
    good, _ = actions.create_subscription(client, f"http://127.0.0.1:{port}/ok", ["service.down"])
    if hanging:
        actions.create_subscription(client, f"http://127.0.0.1:{port}/hang", ["service.down"])
    publish_events(EVENTS)
    started = time.perf_counter()
    while delivery.fan_out()[0]:
        pass
    fanned = time.perf_counter() - started
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    started = time.perf_counter()
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(good.pk)], env=env)
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.wait(timeout=600)
    elapsed = time.perf_counter() - started
    done = Delivery.objects.filter(subscription=good, status="succeeded").count()
    return fanned, elapsed, done


def main() -> None:
    setup_django()
    port = free_port()
    receiver = start_receiver(port)
    try:
        ceiling = raw_rate(port)
        base_fan, base_time, base_done = run(port, hanging=False)
        hang_fan, hang_time, hang_done = run(port, hanging=True)
        got = counts(port)
    finally:
        receiver.kill()
    base_rate, hang_rate = base_done / base_time, hang_done / hang_time
    print(f"webhooks, {stamp()}")
    print("| run | fan-out | deliveries | time | deliveries/s |")
    print("| --- | --- | --- | --- | --- |")
    rows = [
        ("good receiver alone (baseline)", base_fan, base_done, base_time, base_rate),
        ("with a hanging receiver subscribed too", hang_fan, hang_done, hang_time, hang_rate),
    ]
    for name, fan, done, took, rate in rows:
        print(f"| {name} | {fan:.1f} s | {done:,} | {took:.1f} s | **{rate:.0f}** |")
    print(f"bare aiohttp POSTs to the same receiver (ceiling): {ceiling:.0f}/s")
    print(f"ratio with/without the hanging receiver: {hang_rate / base_rate:.2f}; "
          f"requests the hanging receiver got: {got['hang']}")  # fmt: skip
    if base_done != EVENTS or hang_done != EVENTS:
        raise SystemExit("not every event was delivered")


if __name__ == "__main__":
    main()
