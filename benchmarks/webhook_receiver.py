"""A loopback webhook receiver for bench_webhooks: /ok answers 204 at once and
counts; /hang never answers (the sender's timeout ends it); /count tells."""

import asyncio
import sys

from aiohttp import web

received = {"ok": 0, "hang": 0}


async def ok(request):
    await request.read()
    received["ok"] += 1
    return web.Response(status=204)


async def hang(request):
    received["hang"] += 1
    await asyncio.sleep(3600)
    return web.Response(status=204)


async def count(request):
    return web.json_response(received)


app = web.Application()
app.add_routes([web.post("/ok", ok), web.post("/hang", hang), web.get("/count", count)])
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
