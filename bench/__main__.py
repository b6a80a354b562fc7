"""`make bench`: print the performance figures."""
from bench import callbacks

callbacks.main()
