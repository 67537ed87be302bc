// The admin domain's en messages (filled by its pages).
export default {
  title: 'admin',
}
