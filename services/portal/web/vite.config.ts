import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The console's build: services/portal/web → services/portal/web/dist (git-ignored), served by the portal at /. */
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(__dirname, 'dist'),
    emptyOutDir: true,
    // antd + ProComponents + ECharts are large; one chunk per library keeps rebuilds cacheable.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      output: {
        manualChunks: { echarts: ['echarts'], antd: ['antd', '@ant-design/pro-components', '@ant-design/icons'] },
      },
    },
  },
  logLevel: 'warn',
});
