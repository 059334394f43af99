#!/usr/bin/python3
"""A real RTSP server for tests (GStreamer's gst-rtsp-server, Debian's gir1.2-gst-rtsp-server-1.0).

Serves H.264 MP4 files without re-encoding, each at rtsp://127.0.0.1:<port>/<mount>, paced in real
time. Each client session starts the file from the beginning; with --loop it plays on forever.

Usage: /usr/bin/python3 rtsp_server.py [--port N] [--loop] mount=/path/to/file.mp4 [...]
Prints "READY <port>" on stdout once listening. Runs until killed.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


class LoopingFactory(GstRtspServer.RTSPMediaFactory):
    """Rewinds the file at end of stream so a camera never runs dry."""

    def __init__(self, path, loop):
        super().__init__()
        self.path = path
        self.loop = loop
        self.set_shared(False)
        self.set_launch(
            "( filesrc location=\"%s\" ! qtdemux ! h264parse config-interval=1 ! rtph264pay name=pay0 pt=96 )" % path
        )

    def do_configure(self, media):
        if not self.loop:
            return
        element = media.get_element()
        sink = element.get_by_name("pay0").get_static_pad("sink")
        state = {"pending": False, "last_end": 0}

        def on_buffer(pad, info):
            buf = info.get_buffer()
            if buf.pts != Gst.CLOCK_TIME_NONE:
                dur = buf.duration if buf.duration != Gst.CLOCK_TIME_NONE else 0
                state["last_end"] = max(state["last_end"], buf.pts + dur + pad.get_offset())
            return Gst.PadProbeReturn.OK

        def on_event(pad, info):
            if info.get_event().type != Gst.EventType.EOS:
                return Gst.PadProbeReturn.OK
            # Swallow end-of-stream and rewind the file so the camera plays on forever; the pad
            # offset keeps timestamps increasing across the loop, as a real camera's would.
            if not state["pending"]:
                state["pending"] = True

                def rewind():
                    state["pending"] = False
                    pad.set_offset(state["last_end"])
                    pipeline = element
                    while pipeline.get_parent() is not None:
                        pipeline = pipeline.get_parent()
                    pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
                    return False

                GLib.idle_add(rewind)
            return Gst.PadProbeReturn.DROP

        sink.add_probe(Gst.PadProbeType.BUFFER, on_buffer)
        sink.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)


def main(argv):
    Gst.init(None)
    port = "0"
    loop = False
    mounts = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--port":
            port = args.pop(0)
        elif a == "--loop":
            loop = True
        elif "=" in a:
            name, path = a.split("=", 1)
            mounts.append((name, path))
        else:
            print("bad argument: %s" % a, file=sys.stderr)
            return 2
    if not mounts:
        print("no mounts given", file=sys.stderr)
        return 2
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    points = server.get_mount_points()
    for name, path in mounts:
        points.add_factory("/" + name, LoopingFactory(path, loop))
    if server.attach(None) == 0:
        print("cannot listen on port %s" % port, file=sys.stderr)
        return 1
    print("READY %d" % server.get_bound_port(), flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
