#!/usr/bin/env python3
"""Time a full-screen academy command on a pseudo-terminal.

  pty_time.py first  RUNS TEXT -- CMD...   ms from spawn until TEXT appears in the output
  pty_time.py flood  RUNS       -- CMD...   ms to absorb a 200 KB bracketed paste plus 20,000
                                           raw keys and redraw (waits for the 2nd question's stem)
Prints one line per run, then the median. The child is killed with SIGTERM after each run.
"""
import os, pty, select, signal, statistics, struct, sys, time, fcntl, termios


def spawn(cmd):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["ACADEMY_LANG"] = "zh-Hans"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    return pid, fd


def wait_for(fd, needle, buf, timeout=60):
    end = time.monotonic() + timeout
    while needle.encode() not in buf:
        if time.monotonic() > end:
            raise SystemExit(f"timeout waiting for {needle!r}")
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                raise SystemExit("child exited")
    return buf


def finish(pid, fd):
    os.kill(pid, signal.SIGTERM)
    try:
        while True:
            r, _, _ = select.select([fd], [], [], 1)
            if not r or not os.read(fd, 65536):
                break
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


def main():
    mode, runs = sys.argv[1], int(sys.argv[2])
    rest = sys.argv[3:]
    text = None
    if mode == "first":
        text, rest = rest[0], rest[1:]
    cmd = rest[rest.index("--") + 1:]
    times = []
    for _ in range(runs):
        t0 = time.monotonic()
        pid, fd = spawn(cmd)
        buf = b""
        if mode == "first":
            buf = wait_for(fd, text, buf)
            times.append((time.monotonic() - t0) * 1000)
        else:
            buf = wait_for(fd, "第 1/", buf)
            paste = b"\x1b[200~" + b"".join(f"paste {i}\r\n".encode() for i in range(20000)) + b"\x1b[201~"
            keys = b"12" * 10000
            t1 = time.monotonic()
            for i in range(0, len(paste), 4096):
                os.write(fd, paste[i:i + 4096])
                r, _, _ = select.select([fd], [], [], 0)
                if r:
                    buf += os.read(fd, 65536)
            for i in range(0, len(keys), 4096):
                os.write(fd, keys[i:i + 4096])
                r, _, _ = select.select([fd], [], [], 0)
                if r:
                    buf += os.read(fd, 65536)
            os.write(fd, b"n")
            # The diff renderer rewrites only changed cells, so wait for text new on screen:
            # the second question's stem.
            buf = wait_for(fd, "下列哪些行为", buf)
            times.append((time.monotonic() - t1) * 1000)
        finish(pid, fd)
        print(f"{times[-1]:.1f} ms", flush=True)
    print(f"median {statistics.median(times):.1f} ms over {runs} runs")


if __name__ == "__main__":
    main()
