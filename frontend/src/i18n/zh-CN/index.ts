// Every domain's zh-CN messages under its own key.
import admin from './admin'
import common from './common'
import datasets from './datasets'
import experiments from './experiments'
import jobs from './jobs'
import overview from './overview'

export default { common, overview, jobs, experiments, datasets, admin }
