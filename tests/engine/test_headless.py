"""The engine never imports Qt: importing it with PySide6 blocked must work."""

import subprocess
import sys

BLOCK_QT = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'ui'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import playground, playground.cli, playground.graph
from playground.commands import COMMANDS
for mod in list(sys.modules):
    assert not mod.startswith(('PySide6', 'pyqtgraph', 'ui')), mod
print('ok')
"""


def test_engine_imports_with_qt_blocked():
    done = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
