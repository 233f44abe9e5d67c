/** Mounts the Vue example (built by `npm run build:frameworks` with @vue/compiler-sfc and esbuild). */
import { createApp } from 'vue';

import App from './App.vue';

createApp(App).mount('#app');
