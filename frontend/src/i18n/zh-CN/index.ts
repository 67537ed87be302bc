// Every domain's zh-CN messages under its own key.
import admin from './admin'
import benchmarks from './benchmarks'
import common from './common'
import datasets from './datasets'
import experiments from './experiments'
import factors from './factors'
import jobs from './jobs'
import models from './models'
import overview from './overview'

export default { common, overview, jobs, experiments, datasets, factors, benchmarks, models, admin }
