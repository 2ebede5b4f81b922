"""What ``bass serve`` stores on a first start: the example scenarios of every region, each
region's own folder, checked against that region."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bassplan.cli.common import err

EXAMPLES = Path("examples")  # the first bundled region's examples; ./examples/<id> the others'


def example_folder(region: Path | None) -> Path:
    """The default example scenarios for a region: ./examples/<id> for a bundled region
    other than the default when that folder exists, else ./examples."""
    from bassplan.data import REGIONS

    own = EXAMPLES / str(region)
    if region is not None and str(region) in REGIONS and own.is_dir():
        return own
    return EXAMPLES


def example_folders(
    configured: Path | None, examples: Path | None
) -> list[tuple[str, Path | None, Path]]:
    """(region id, region choice, example folder) of every region a server stores examples
    for: the configured region's (``examples`` if given), then each other bundled region's
    (./examples/<id>, or ./examples for the first bundled region)."""
    from bassplan.data import REGIONS, bundled_region_dir
    from bassplan.data.loaders import DEFAULT_REGION_ID, region_id_of

    default = region_id_of(configured)
    folders: list[tuple[str, Path | None, Path]] = [
        (default, configured, examples if examples is not None else example_folder(configured))]
    for key in REGIONS:
        folder = EXAMPLES if key == DEFAULT_REGION_ID else EXAMPLES / key
        if key != default and folder.is_dir():
            folders.append((key, bundled_region_dir(key), folder))
    return folders


def seed_examples(sessions: sessionmaker[Session], region_id: str, choice: Path | None,
                  folder: Path) -> list[str]:
    """Store the scenario files of ``folder`` as region ``region_id``'s (checked against it)
    when that region has no scenarios yet; returns the names stored."""
    from bassplan.data import load_region
    from bassplan.store.repository import list_scenarios, seed_scenarios

    if not folder.is_dir() or list_scenarios(sessions, region_id=region_id, limit=1):
        return []
    stored = seed_scenarios(sessions, sorted(folder.glob("*.yaml")),
                            region=load_region(choice), region_id=region_id)
    if stored:
        err.print(f"Gemte {len(stored)} eksempelscenarier fra {folder} ({region_id})")
    return stored
