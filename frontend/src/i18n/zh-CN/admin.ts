// The admin domain's zh-CN messages (filled by its pages).
export default {
  title: 'admin',
}
