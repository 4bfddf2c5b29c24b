#!/usr/bin/python3
"""tmail-manager as a screen-reader user drives it, through AT-SPI (the Linux accessibility bus).

Usage: atspi_check.py MANAGER_BINARY SOCKET DOMAIN

Starts a private X server (xvfb-run), D-Bus session and accessibility bus, runs tmail-manager
against the daemon listening on SOCKET, then, only through the accessibility tree: opens the
Domains page, presses "Add…", checks that the focus is on the dialog's first field, types DOMAIN,
presses OK and reads the page message "Domain added.". Prints what went wrong and exits 1 on
failure, 77 when the tools are missing. Everything is bounded (about 45 s at most).
"""
import os
import shutil
import subprocess
import sys
import time

DEADLINE_SECONDS = 45
INNER = "TMAIL_ATSPI_CHECK_INNER"


def outer(argv):
    """Re-runs this script inside xvfb-run + dbus-run-session, with a hard time limit."""
    for tool in ("xvfb-run", "dbus-run-session", "/usr/libexec/at-spi-bus-launcher"):
        if not shutil.which(tool):
            print(f"atspi_check: {tool} is missing (scripts/install-deps.sh test)")
            return 77
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        print("atspi_check: python3-pyatspi is missing (scripts/install-deps.sh test)")
        return 77
    env = dict(os.environ, **{INNER: "1"})
    env.pop("QT_QPA_PLATFORM", None)
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "dbus-run-session", "--",
               sys.executable, os.path.abspath(__file__)] + argv
    # xvfb-run now and then hands over a display whose Xvfb is not (or no longer) there; the
    # manager then cannot start at all. That is the X server's failure, not the manager's:
    # one more try on a fresh display, still bounded.
    for attempt in (1, 2):
        try:
            run = subprocess.run(command, env=env, timeout=DEADLINE_SECONDS + 10,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except subprocess.TimeoutExpired:
            print("atspi_check: timed out")
            return 1
        output = run.stdout.decode(errors="replace")
        sys.stdout.write(output)
        sys.stdout.flush()
        if run.returncode == 0 or "could not connect to display" not in output or attempt == 2:
            return run.returncode
        print("atspi_check: the X server was not there; trying once more")
    return 1


class Failure(Exception):
    pass


def wait_for(what, predicate, seconds=10.0):
    """Polls predicate until it returns something true; raises Failure after seconds."""
    end = time.monotonic() + seconds
    while True:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while a window opens or closes
            value = None
        if value:
            return value
        if time.monotonic() > end:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(0.1)


def descendants(node, depth=0):
    """Walks the accessibility tree; table and list cells are data, not controls."""
    if node is None or depth > 30:
        return
    yield node
    if node.getRoleName() in ("table", "tree table", "list", "tree"):
        return
    for index in range(node.childCount):
        yield from descendants(node.getChildAtIndex(index), depth + 1)


def find(root, role, name=None):
    for node in descendants(root):
        if node.getRoleName() == role and (name is None or node.name == name):
            return node
    return None


def inner(argv):
    import pyatspi

    binary, socket, domain = argv
    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])
    env = dict(os.environ, QT_ACCESSIBILITY="1", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    manager = None
    try:
        time.sleep(1)
        manager = subprocess.Popen([binary, "--socket", socket, "--lang", "en"], env=env)
        desktop = pyatspi.Registry.getDesktop(0)

        def application():
            for index in range(desktop.childCount):
                app = desktop.getChildAtIndex(index)
                if app is not None and app.name == "tmail-manager":
                    return app
            return None

        app = wait_for("tmail-manager on the accessibility bus", application, 20)
        tab = wait_for("the Domains page tab", lambda: find(app, "page tab", "Domains"))
        tab.queryAction().doAction(0)
        add = wait_for("the Add… button", lambda: find(app, "push button", "Add…"))
        wait_for("the Add… button to be showing",
                 lambda: add.getState().contains(pyatspi.STATE_SHOWING))
        add.queryAction().doAction(0)
        dialog = wait_for("the Add a domain dialog", lambda: find(app, "dialog", "Add a domain"))

        def focused():
            # A container of the focus widget may say "focused" too; the control is focusable.
            for node in descendants(dialog):
                state = node.getState()
                if state.contains(pyatspi.STATE_FOCUSED) and state.contains(pyatspi.STATE_FOCUSABLE):
                    return node
            return None

        field = wait_for("a focused widget in the dialog", focused)
        if field.getRoleName() != "text" or field.name != "Domain":
            raise Failure(f"the dialog opened with the focus on {field.getRoleName()} “{field.name}”, "
                          "not on the Domain field")
        field.queryEditableText().setTextContents(domain)
        ok = find(dialog, "push button", "OK")
        if ok is None:
            raise Failure("the dialog has no button named OK")
        ok.queryAction().doAction(0)
        wait_for("the page message “Domain added.”", lambda: find(app, "label", "Domain added."))
        print("atspi_check: Domains → Add… → first field focused → OK → “Domain added.” read")
        return 0
    except Failure as failure:
        print(f"atspi_check: {failure}")
        return 1
    finally:
        for process in (manager, bus):
            if process is not None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[2])
        sys.exit(2)
    sys.exit(inner(sys.argv[1:]) if os.environ.get(INNER) else outer(sys.argv[1:]))
