// The experiments domain's en messages (filled by its pages).
export default {
  title: 'experiments',
}
