from kehoach.cli import run

run()
