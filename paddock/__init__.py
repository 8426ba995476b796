"""Paddock: a publishing and reader-community platform for automotive news sites."""
