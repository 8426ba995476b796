"""gunicorn's settings for Paddock, read from the folder gunicorn starts in: `make run`, the
benchmark and a production checkout alike. Workers and threads are given on the command line.

A Python process renders one request at a time (the GIL), so a machine's cores are only all
busy when requests are spread over its worker processes. A connection kept alive stays with
the worker that accepted it, and under steady load one worker often ends up holding most of
them while another idles: rendering throughput halves. Closing each connection after its
response lets every request go to whichever worker is free. In front, nginx keeps the browsers'
connections alive and pays a local connect per request that reaches the app.
"""

keepalive = 0
