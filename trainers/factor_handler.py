"""The data handler a workflow names to train on a factor set: Qlib's Alpha158 data path with the set's factor
versions as its features (optionally after Alpha158's own). The platform fills ``factors`` from ``factor_set`` when
the job is submitted, every expression vetted by our parser; the job's run records exactly which versions it used."""

from __future__ import annotations

from typing import Any

from qlib.contrib.data.handler import Alpha158


class FactorSetHandler(Alpha158):
    """``factor_set``: ``name@vN`` (what the run records); ``factors``: ``[[name, expression], …]`` as the platform
    resolved them; ``include_alpha158``: Alpha158's 158 features first. Every other argument is Alpha158's."""

    def __init__(self, factor_set: str = "", factors: list[list[str]] | None = None, include_alpha158: bool = False,
                 **kwargs: Any) -> None:
        if not factors:
            raise ValueError("FactorSetHandler needs its factors: name a factor_set and submit the job through the "
                             "platform, which fills them in")
        self.factor_set = factor_set
        self.factors = [(str(name), str(expression)) for name, expression in factors]
        self.include_alpha158 = include_alpha158
        super().__init__(**kwargs)

    def get_feature_config(self) -> tuple[list[str], list[str]]:
        fields = [expression for _, expression in self.factors]
        names = [name for name, _ in self.factors]
        if self.include_alpha158:
            alpha_fields, alpha_names = super().get_feature_config()
            return [*alpha_fields, *fields], [*alpha_names, *names]
        return fields, names
