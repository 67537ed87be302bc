"""Every table of the platform, imported in one place for Alembic and the tests."""

from platform_api.auth.models import ApiToken, RefreshToken, User
from platform_api.benchmarks.models import Benchmark
from platform_api.configs.models import WorkflowConfig
from platform_api.data.models import Dataset
from platform_api.db import Base
from platform_api.factors.models import Factor, FactorEvaluation, FactorSet, FactorVersion
from platform_api.jobs.models import Job, JobLog, JobState, Worker
from platform_api.registry.models import GateDecision, ModelPolicy, PolicyGuard, RegisteredVersion, RegistryEvent

__all__ = [
    "ApiToken", "Base", "Benchmark", "Dataset", "Factor", "FactorEvaluation", "FactorSet", "FactorVersion",
    "GateDecision", "Job", "JobLog", "JobState", "ModelPolicy", "PolicyGuard", "RefreshToken", "RegisteredVersion",
    "RegistryEvent", "User", "Worker", "WorkflowConfig",
]
