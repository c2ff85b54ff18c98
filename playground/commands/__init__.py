"""The command-line verbs; adding one is a module here and one line in ``COMMANDS``."""

from playground.commands import bench, evaluate, export, gradcheck, info, trace, train

COMMANDS = [train, evaluate, info, bench, gradcheck, trace, export]
