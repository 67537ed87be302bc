// The datasets domain's zh-CN messages (filled by its pages).
export default {
  title: 'datasets',
}
