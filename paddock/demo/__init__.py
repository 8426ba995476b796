"""The demo site: content in data/, loaded through the other apps' services by `load_demo`.

It sits above every other app: it may import any of them, and none of them imports it.
"""
