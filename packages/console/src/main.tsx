/** @module main — boots the console: finishes a sign-in if the URL carries one, then shows the app. */
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
