"""A real RTSP server for the probe tests: GStreamer's, run by Debian's python3.

Usage: /usr/bin/python3 rtsp_server.py PORT none|basic|digest [USERNAME PASSWORD]
Paths: /moving (a ball and a ticking clock), /frozen (one frame repeated),
/audio (no video track). With basic or digest every path needs the
credentials (GStreamer answers 404, not 401, to anonymous clients of a
protected path when anonymous access exists, so a server is open or closed).
Prints "READY" once it listens.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

ENCODE = (
    "videoconvert ! video/x-raw,format=I420 ! x264enc tune=zerolatency ! rtph264pay name=pay0 pt=96"
)
SMALL = "video/x-raw,width=320,height=240"
PIPELINES = {
    "/moving": f"( videotestsrc is-live=true pattern=ball ! {SMALL} ! clockoverlay ! {ENCODE} )",
    "/frozen": f"( videotestsrc num-buffers=1 ! {SMALL} ! imagefreeze is-live=true ! {ENCODE} )",
    "/audio": "( audiotestsrc is-live=true ! audioconvert ! mulawenc ! rtppcmupay name=pay0 pt=0 )",
}
VIEWER = "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"


def main() -> None:
    port, method = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    mounts = server.get_mount_points()
    for path, launch in PIPELINES.items():
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(False)  # a pipeline per client: no 503 while a shared one winds down
        factory.add_role_from_structure(Gst.Structure.from_string(VIEWER)[0])
        mounts.add_factory(path, factory)
    if method != "none":
        username, password = sys.argv[3], sys.argv[4]
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(getattr(GstRtsp.RTSPAuthMethod, method.upper()))
        token = GstRtspServer.RTSPToken.new()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        if method == "basic":
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(username, password), token)
        else:
            auth.add_digest(username, password, token)
        server.set_auth(auth)
    if server.attach(None) == 0:
        sys.exit("rtsp_server: could not listen")
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
