"""``gnews-i18n models …``: what serves each direction, fetching and converting models."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table


def _size(path: Path) -> str:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return f"{total / 1e6:.0f} MB" if total >= 1e6 else f"{total / 1e3:.0f} kB"


def register(models_app: typer.Typer, fail, console) -> None:
    @models_app.command("list")
    def list_models() -> None:
        """Each direction: the model that serves it, where it comes from, size, backend, licence."""
        from gnews_i18n.config import load_settings
        from gnews_i18n.mt.ct2_backend import converted_dir
        from gnews_i18n.mt.registry import choose, registry_entries

        settings = load_settings()
        directions = set(registry_entries()) | set(settings.model_overrides)
        if settings.models_dir.is_dir():
            directions |= {p.name for p in settings.models_dir.iterdir() if (p / "config.json").exists()
                           and "-" in p.name and len(p.name) == 5}
        table = Table("direction", "model", "from", "installed", "size", "backend", "licence")
        for direction in sorted(directions):
            src, tgt = direction.split("-")
            choice = choose(settings, src, tgt)
            if choice is None:
                continue
            if choice.pivot:
                table.add_row(direction, f"via {choice.pivot}: {src}-{choice.pivot} + {choice.pivot}-{tgt}",
                              choice.source, "", "", "", "")
                continue
            local = Path(choice.model).expanduser()
            if not local.exists():
                pulled = settings.models_dir / choice.model.replace("/", "--")
                local = pulled if pulled.exists() else local
            installed = local.exists()
            backend = "ctranslate2" if installed and converted_dir(local) else "transformers"
            table.add_row(direction, choice.model, choice.source, "yes" if installed else "no",
                          _size(local) if installed else "", backend, choice.licence)
        console.print(table)
        console.print("A model not installed is fetched from the hub on first use, or with "
                      "`gnews-i18n models pull NAME`; set GNEWS_MODEL_<SRC>_<TGT> to use a local directory.")

    @models_app.command("pull")
    def pull(
        name: str = typer.Argument(..., help="Hugging Face model id, e.g. Helsinki-NLP/opus-mt-ko-en."),
        convert_: bool = typer.Option(True, "--convert/--no-convert", help="Also convert for CTranslate2 (int8)."),
    ) -> None:
        """Fetch a model into the local models directory (and convert it for the fast backend)."""
        from gnews_i18n.config import load_settings

        settings = load_settings()
        target = settings.models_dir / name.replace("/", "--")
        try:
            from huggingface_hub import snapshot_download

            snapshot_download(repo_id=name, local_dir=str(target))
        except Exception as error:  # offline, unknown id, no permission: all end the same way for the user
            fail(f"cannot fetch {name} from the model hub ({type(error).__name__}: {str(error).splitlines()[0]}).\n"
                 f"Where the hub is reachable run `huggingface-cli download {name} --local-dir DIR`, copy DIR here, "
                 f"and point GNEWS_MODEL_<SRC>_<TGT> at it (or place it in {settings.models_dir}/<src>-<tgt>/).")
        console.print(f"{name} saved in {target}")
        if convert_:
            _convert(target, "int8", console, fail)

    @models_app.command("convert")
    def convert_cmd(
        directory: Path = typer.Argument(..., help="A transformers model directory."),
        quantization: str = typer.Option("int8", help="int8 (CPU), int8_float16 / float16 (GPU), or float32."),
    ) -> None:
        """Convert a model for CTranslate2; used automatically from then on."""
        _convert(directory, quantization, console, fail)


def _convert(directory: Path, quantization: str, console, fail) -> None:
    from gnews_i18n.mt.ct2_backend import convert

    if not (directory / "config.json").exists():
        fail(f"{directory} is not a transformers model directory (no config.json)")
    try:
        out = convert(directory, quantization=None if quantization == "float32" else quantization, force=True)
    except (ValueError, NotImplementedError) as error:
        fail(f"cannot convert {directory}: {error}")
    console.print(f"converted for CTranslate2 ({quantization}) in {out}; the fast backend is used from now on "
                  f"(GNEWS_MT_BACKEND=transformers turns it off)")
