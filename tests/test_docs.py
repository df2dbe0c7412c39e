"""The README documents every command and option the CLI has."""

import typer.main

from conftest import ROOT
from pipeline.cli import app


def test_every_cli_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        assert f"referat {name}" in readme, f"command {name} is not in the README"
        for param in cmd.params:
            if getattr(param, "param_type_name", "") == "option":
                longs = [o for o in param.opts if o.startswith("--")]
                assert any(o in readme for o in longs), f"{name} {longs} is not in the README"
