import { render } from 'preact';
import { configureApi } from './api.ts';
import { App } from './app.tsx';
import { loadConfig } from './config.ts';
import { initialLang } from './i18n.ts';
import './styles.css';

const config = await loadConfig();
configureApi(config);
render(<App config={config} initialLang={initialLang()} />, document.getElementById('app')!);
